import FindReviewerDomain
import Foundation
@testable import Notifications

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func makeContext(kind: NotificationKind, language: Language, id: String = "out_00000007") -> NotificationContext {
        let reviewer = kind.isForReviewer
        return NotificationContext(
            entry: OutboxEntry(id: id, kind: kind, requestId: "req_00000003", createdAt: 1_795_536_000),
            recipientAddress: reviewer ? "ann@mail.example" : "team@acme.example",
            recipientName: reviewer ? "Ann Ångström" : "Acme Resor",
            language: language, businessName: "Acme Resor",
            businessMessage: "Hej! Vi hittar inte din bokning.\n.Kan du dela bokningsnummer och namn?",
            requestedFields: [.referenceNumber, .fullName, .phone], referenceLabel: "Bokningsnummer",
            deadline: 1_795_968_000, replyToken: reviewer ? String(repeating: "ab", count: 24) : "",
            reviewTitle: "Stökig incheckning")
    }

    static let renderer = EmailRenderer(
        from: "FindReviewer <no-reply@reviews.example>", replyBaseURL: "https://reviews.example/find-reviewer/reply",
        messageIdDomain: "reviews.example")

}
