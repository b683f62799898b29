import FindReviewerDomain
import Foundation
import Notifications
import Testing
import ToolSupport
@testable import FindReviewerLoad

@Suite("The outbox reader: batch mbox files and older .eml files, each email once")
struct OutboxReaderTests {
    static let renderer = EmailRenderer(from: "FindReviewer <no-reply@reviews.example>", replyBaseURL: "https://reviews.example/reply")

    static func email(_ id: String, _ kind: NotificationKind, token: String = "") -> RenderedEmail {
        self.renderer.render(NotificationContext(
            entry: OutboxEntry(id: id, kind: kind, requestId: "req_00000001", createdAt: 1_795_536_000),
            recipientAddress: kind.isForReviewer ? "ann@mail.example" : "team@acme.example", recipientName: "Ann", language: .en,
            businessName: "Acme", businessMessage: "From now on,\nwhich booking?", requestedFields: [.referenceNumber],
            referenceLabel: "", deadline: 1_795_968_000, replyToken: token, reviewTitle: ""))
    }

    @Test("what the file transport writes, an older .eml beside it and a repeat after a crash read as one list in entry order")
    func mixedDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-reader-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Release 0.1.0 wrote out_00000001.eml; today's transport writes batches.
        try Data(Self.email("out_00000001", .declined).rfc822).write(to: URL(fileURLWithPath: directory + "/out_00000001.eml"))
        let transport = FileTransport(directory: directory)
        let second = Self.email("out_00000002", .requestToReviewer, token: String(repeating: "cd", count: 24))
        let third = Self.email("out_00000003", .replyReceived)
        #expect(transport.deliver(batch: [second, third]).allSatisfy { $0 == nil })
        #expect(transport.deliver(batch: [third]).allSatisfy { $0 == nil })  // a repeat: a second copy
        try Data("half".utf8).write(to: URL(fileURLWithPath: directory + "/out_00000004-out_00000004.0000000000000001.mbox.tmp"))
        #expect(OutboxReader.fileNames(in: directory).count == 3)
        let emails = OutboxReader.read(directory: directory)
        #expect(emails.map(\.entryId) == ["out_00000001", "out_00000002", "out_00000003"])
        #expect(emails.map(\.kind) == ["declined", "requestToReviewer", "replyReceived"])
        #expect(emails[1].token == String(repeating: "cd", count: 24))
        // The quoted message reads back as the business wrote it.
        #expect(emails[1].body.contains("  > From now on,\n  > which booking?"))
        #expect(emails[0].file == "out_00000001.eml")
        #expect(emails[1].file.hasPrefix("out_00000002-out_00000003.") && emails[1].file.hasSuffix(".mbox"))
        #expect(OutboxReader.rawMessages(directory: directory).map(\.message) == [Self.email("out_00000001", .declined).rfc822, second.rfc822, third.rfc822])
    }

    @Test("the load tool's byte reader finds what parse finds: the kind, the decoded body (only for the kinds asked for) and the token")
    func kindAndBodyMatchParse() throws {
        let businessMessage = "Hej! Vi hittar inte din bokning (ref run1.0.3.17).\nKan du dela bokningsnummer = namn? " + String(repeating: "lång rad ", count: 20)
        var checked = 0
        for kind in NotificationKind.allCases {
            for language in Language.allCases {
                let token = kind.isForReviewer ? String(repeating: "a1", count: 24) : ""
                let rendered = Self.renderer.render(NotificationContext(
                    entry: OutboxEntry(id: "out_00000009", kind: kind, requestId: "req_00000001", createdAt: 1_795_536_000),
                    recipientAddress: "ann@mail.example", recipientName: "Ann Åberg", language: language, businessName: "Acme",
                    businessMessage: businessMessage, requestedFields: [.referenceNumber, .fullName], referenceLabel: "Bokningsnummer",
                    deadline: 1_795_968_000, replyToken: token, reviewTitle: "Stökig incheckning"))
                let parsed = OutboxReader.parse(String(decoding: rendered.rfc822, as: UTF8.self), file: "x.mbox")
                let (kindSeen, body) = OutboxReader.kindAndBody(rendered.rfc822, bodyIf: [kind.rawValue])
                #expect(kindSeen == kind.rawValue && kindSeen == parsed.kind)
                let text = String(decoding: try #require(body), as: UTF8.self)
                #expect(text == parsed.body, "\(kind) \(language)")
                #expect(TokenHarvester.token(in: Array(text.utf8)) == parsed.token)
                if kind.isForReviewer { #expect(parsed.token == token) }
                // A kind not asked for: its body is not decoded.
                #expect(OutboxReader.kindAndBody(rendered.rfc822, bodyIf: []).body == nil)
                checked += 1
            }
        }
        #expect(checked == NotificationKind.allCases.count * Language.allCases.count)
        // Soft breaks, CRLF and =XX by hand; a header name in other case.
        let raw = Array("To: a\r\nx-FINDREVIEWER-kind:  manualReminder \r\n\r\nLink: https://x.example/r?token=3Dab=\r\ncd&y=3D1 =C3=A5\r\n".utf8)
        let (kind, body) = OutboxReader.kindAndBody(raw, bodyIf: ["manualReminder"])
        #expect(kind == "manualReminder")
        #expect(body.map { String(decoding: $0, as: UTF8.self) } == "Link: https://x.example/r?token=abcd&y=1 å\n")
        #expect(TokenHarvester.token(in: body ?? []) == "abcd")
        #expect(TokenHarvester.token(in: Array("no ?token= here, and xtoken=zz".utf8)) == nil)
        #expect(TokenHarvester.find(Array("(ref ".utf8), in: Array("a (re (ref b".utf8)) == 6)
    }
}
