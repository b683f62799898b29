import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// The story's emails through a real SMTP server: each exactly once, at its time, in its language.
@Suite("Emails through SMTP, end to end", .serialized)
struct EmailStoryTests {
    static let t0: Int64 = 1_790_000_000
    static let hour: Int64 = 3_600

    static func wait(for count: Int, at smtp: SMTPServer) -> [String] {
        let end = Date().addingTimeInterval(15)
        while Date() < end, smtp.messages.count < count { usleep(20_000) }  // polling for delivery, bounded
        return smtp.messages
    }

    static func subjects(_ messages: [String]) -> [String] {
        messages.compactMap { message in
            message.components(separatedBy: "\r\n").first { $0.hasPrefix("X-FindReviewer-Kind: ") }
        }.map { String($0.dropFirst("X-FindReviewer-Kind: ".count)) }
    }

    @Test("request, day-3 reminder, reply, expiry: one email each, in the recipient's language; none lost or doubled over a restart")
    func story() throws {
        let smtp = try SMTPServer(refuse: 1)
        let directory = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--test-clock", "--test-clock-start", String(Self.t0), "--smtp", "127.0.0.1:\(smtp.port)"]
        var server = try ServerProcess(arguments: arguments, dataDirectory: directory)
        var admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme Reisen", notificationEmail: "team@acme.example", locale: "de")))
        _ = try admin.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme"))
        _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "bo", displayName: "Bo", email: "bo@mail.example", locale: "sv")))
        for id in ["r1", "r2"] {
            _ = try admin.publishReview(PublishReviewRequest(review: Review(id: id, businessId: "acme", reviewerId: "bo", rating: 1, title: id, source: .organic)))
        }
        let create = CreateInfoRequestRequest(businessId: "acme", reviewId: "r1", message: "Hallo!", requestedFields: [.email])
        _ = try admin.createInfoRequest(create)
        // The relay refuses the first attempt; the worker retries after 1 s.
        var messages = Self.wait(for: 1, at: smtp)
        #expect(Self.subjects(messages) == ["requestToReviewer"])
        #expect(messages[0].contains("Subject: =?utf-8?B?"))  // Swedish subject, encoded
        #expect(messages[0].contains("To: Bo <bo@mail.example>"))

        // Day 3: the reminder, once.
        _ = try admin.advanceClock(AdvanceClockRequest(seconds: 72 * Self.hour))
        messages = Self.wait(for: 2, at: smtp)
        #expect(Self.subjects(messages) == ["requestToReviewer", "automaticReminder"])

        // Restart the server: nothing already delivered is sent again.
        #expect(server.stop() == 0)
        server = try ServerProcess(arguments: ["--smtp", "127.0.0.1:\(smtp.port)", "--test-clock", "--test-clock-start", String(Self.t0 + 72 * Self.hour)], dataDirectory: directory)
        defer { server.stop() }
        admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))

        // The second request expires on day 5 of its window: the business's email, in German.
        var second = create
        second.reviewId = "r2"
        _ = try admin.createInfoRequest(second)
        _ = try admin.advanceClock(AdvanceClockRequest(seconds: 120 * Self.hour))
        messages = Self.wait(for: 6, at: smtp)
        // r2's request email and the expiry of both requests (r1's reminder was already sent; r2's is due on its day 3).
        let kinds = Self.subjects(messages)
        #expect(kinds.filter { $0 == "requestToReviewer" }.count == 2)
        #expect(kinds.filter { $0 == "automaticReminder" }.count == 2)
        #expect(kinds.filter { $0 == "expired" }.count == 2)
        let expired = try #require(messages.first { $0.contains("X-FindReviewer-Kind: expired") })
        #expect(expired.contains("To: Acme Reisen <team@acme.example>"))
        #expect(!expired.contains("bo@mail.example"))
        // Message-IDs are unique: nothing was delivered twice.
        let ids = messages.compactMap { $0.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID:") } }
        #expect(Set(ids).count == messages.count)
    }
}
