import FindReviewerTestSupport
import Foundation
import Testing

/// `findreviewer demo`, end to end.
@Suite("findreviewer demo")
struct DemoTests {
    /// The steps the issue asks for, as the demo prints them.
    static let story = [
        "1. The reviews pipeline feeds a business",
        "INTRODUCTION_NOT_ACKNOWLEDGED",
        "Acme acknowledges the introduction",
        "Acme sends two Find Reviewer requests",
        "Ann follows the link in her email",
        "Three days pass without an answer",
        "automatic reminder",
        "Ann replies with her booking number",
        "reply: booking number BK-4711",
        "expires on day 5",
        "is expired",
        "sends the one manual reminder",
        "is pending again",
        "refused, FAILED_PRECONDITION",
        "accepted, report rep_",
        "reviewer contacted: yes",
        "he blocks it from the link",
        "is declined; Acme is told only that he declined",
        "FAILED_PRECONDITION (REVIEWER_NOT_CONTACTABLE)",
        "counts as a try: a not-genuine report",
        "her details are erased",
        "reply-details-erased",
    ]

    @Test("with no server given it starts its own (free port, temporary data, --test-clock), tells the story, lists the emails and cleans up")
    func ownServer() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-demo-cwd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // An empty working directory: no ./data, no keys; the demo needs none.
        let result = try ToolProcess.run("findreviewer", ["demo"], directory: directory)
        #expect(result.status == 0, "\(result.output)\n\(result.errors)")
        var position = result.output.startIndex
        for step in Self.story {
            guard let found = result.output.range(of: step, range: position..<result.output.endIndex) else {
                Issue.record("missing or out of order: \(step)\n\(result.output)")
                break
            }
            position = found.upperBound
        }
        // Nine emails, each listed with its file, recipient and subject.
        let emails = result.output.split(separator: "\n").filter { $0.contains("email out_") }
        #expect(emails.count == 9)
        #expect(emails.filter { $0.contains("<ann@mail.example>") }.count == 2)
        #expect(emails.filter { $0.contains("<team@acme.example>") }.count == 3)
        #expect(result.output.contains("Done: 13 steps, 9 emails written"))
        let started = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("Started findreviewer-server on 127.0.0.1:") })
        let dataDirectory = try #require(started.components(separatedBy: "data in ").last)
        #expect(!FileManager.default.fileExists(atPath: dataDirectory))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path))
    }

    @Test("against a given --test-clock server: fresh ids, emails read from --data-dir, and it runs twice")
    func givenServer() throws {
        let server = try TestServer()
        defer { server.stop() }
        for _ in 0..<2 {
            let result = try server.cli(["demo"])
            #expect(result.status == 0, "\(result.output)\n\(result.errors)")
            #expect(!result.output.contains("Started findreviewer-server"))
            #expect(result.output.contains("Done: 13 steps, 9 emails written to \(server.server.dataDirectory.path)/outbox"))
            #expect(result.output.contains("business acme-"))
        }
    }

    @Test("against a server on the real clock it refuses, saying how to start one that fits")
    func realClock() throws {
        let server = try TestServer(testClock: false)
        defer { server.stop() }
        let result = try server.cli(["demo"])
        #expect(result.status == 1)
        #expect(result.errors.contains("needs one started with --test-clock"))
        #expect(result.errors.contains("make run ARGS=--test-clock"))
    }
}
