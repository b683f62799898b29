import FindReviewerTestSupport
import Foundation
import Testing

/// `findreviewer` as a process against the real server: tables, --json, exit statuses.
@Suite("findreviewer against a real server")
struct CLIServerTests {
    static let seed = """
        {"business": {"id": "acme", "displayName": "Acme Travel", "notificationEmail": "team@acme.example", "locale": "en"}}
        {"business": {"id": "other", "displayName": "Other", "notificationEmail": "x@other.example"}}
        {"reviewer": {"id": "ann", "displayName": "Ann Andersson", "email": "ann@mail.example"}}
        {"review": {"id": "r1", "businessId": "acme", "reviewerId": "ann", "rating": 2, "title": "Late", "source": "REVIEW_SOURCE_ORGANIC"}}
        {"review": {"id": "r2", "businessId": "acme", "reviewerId": "ann", "rating": 1, "title": "Rude", "source": "REVIEW_SOURCE_PLATFORM_INVITATION"}}
        {"review": {"id": "o1", "businessId": "other", "reviewerId": "ann", "rating": 3, "title": "Fine", "source": "REVIEW_SOURCE_ORGANIC"}}
        """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("import, then the workflow as tables and as --json: the same facts in both")
    func formats() throws {
        let server = try TestServer()
        defer { server.stop() }
        let imported = try server.cli(["import", "-"], input: Self.seed)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("review    3        0"))
        #expect(imported.output.contains("imported 6 item(s)"))
        let again = try server.cli(["import", "--json", "-"], input: Self.seed)
        let counts = try Self.json(again.output)
        #expect(counts["items"] as? Int == 6)
        #expect((counts["review"] as? [String: Int])?["updated"] == 3)

        let created = try server.cli([
            "requests", "create", "--business", "acme", "--review", "r1", "--fields", "reference,name", "--label", "Booking number",
            "--message", "Hello! Could you share your booking number?", "--acknowledge-intro", "--json",
        ])
        #expect(created.status == 0, "\(created.errors)")
        let request = try #require(try Self.json(created.output)["request"] as? [String: Any])
        let id = try #require(request["id"] as? String)
        #expect(request["status"] as? String == "REQUEST_STATUS_PENDING")
        #expect(request["requestedFields"] as? [String] == ["REQUESTED_FIELD_REFERENCE_NUMBER", "REQUESTED_FIELD_FULL_NAME"])
        // --json prints every field, defaults included, so scripts can rely on them.
        #expect(request["openedAt"] as? String == "0")

        let table = try server.cli(["requests", "list", "--business", "acme"])
        #expect(table.status == 0)
        let lines = table.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("REQUEST") == true)
        #expect(lines.first?.contains("STATUS") == true)
        #expect(lines.contains { $0.hasPrefix(id) && $0.contains("r1") && $0.contains("pending") })
        #expect(table.output.contains("1 matching; all of the business's requests: pending 1"))
        let list = try Self.json(try server.cli(["requests", "list", "--business", "acme", "--json"]).output)
        #expect(list["totalMatching"] as? String == "1")
        #expect((list["requests"] as? [[String: Any]])?.first?["id"] as? String == id)

        let shown = try server.cli(["requests", "show", "--business", "acme", id])
        #expect(shown.output.contains("fields    reference-number (Booking number), full-name"))
        #expect(shown.output.contains("created  Request sent to the reviewer"))

        // The reviewer's side, with the token from the email the server wrote.
        let token = try server.cli(["outbox", "--to", "ann@mail.example", "--token"])
        #expect(token.status == 0, "\(token.errors)")
        let secret = token.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.count == 48)
        let view = try server.cli(["reviewer", "view", secret])
        #expect(view.output.contains("business       Acme Travel"))
        let reply = try server.cli(["reviewer", "reply", secret, "--reference", "BK-4711", "--name", "Ann Andersson", "--json"])
        #expect(try Self.json(reply.output)["request"].flatMap { $0 as? [String: Any] }?["status"] as? String == "REQUEST_STATUS_ANSWERED")
        let opened = try server.cli(["requests", "open", "--business", "acme", id])
        #expect(opened.output.contains("reply reference  BK-4711"))

        let reviews = try server.cli(["reviews", "list", "--business", "acme", "--contacted"])
        #expect(reviews.output.contains("r1"))
        #expect(!reviews.output.contains("r2 "))
        let report = try server.cli([
            "reviews", "report", "--business", "acme", "r1", "--reason", "not-genuine-experience", "--explanation", "No booking.",
            "--acknowledge-guidelines",
        ])
        #expect(report.status == 0, "\(report.errors)")
        #expect(report.output.contains("reason       not-genuine-experience"))
        #expect(try server.cli(["reviews", "public", "r1"]).output.contains("reviewer contacted  yes"))

        let advanced = try server.cli(["clock", "advance", "3d", "--json"])
        #expect(try Self.json(advanced.output)["testClock"] as? Bool == true)

        // Generic call: JSON in, JSON out.
        let call = try server.cli(["call", "FindReviewer/GetBusiness", #"{"businessId": "acme"}"#])
        #expect(call.status == 0)
        #expect(try (Self.json(call.output)["business"] as? [String: Any])?["displayName"] as? String == "Acme Travel")
        #expect(call.output.contains("\n  \"business\": {"))
        let stdin = try server.cli(["call", "findreviewer.v1.Admin/GetClock", "-", "--json"], input: "{}")
        #expect(stdin.output.split(separator: "\n").count == 1)
        #expect(try Self.json(stdin.output)["testClock"] as? Bool == true)

        let info = try server.cli(["info", "--json"])
        #expect(try Self.json(info.output)["name"] as? String == "findreviewer-server")
        let list2 = try server.cli(["list", "Admin"])
        #expect(list2.output.contains("findreviewer.v1.Admin/AdvanceClock"))
        #expect(!list2.output.contains("FindReviewer/GetReview"))
        let describe = try server.cli(["describe", "CreateInfoRequest"])
        #expect(describe.output.contains("requestedFields"))
        #expect(describe.output.contains("roles       admin, business-portal"))
        let health = try server.cli(["health"])
        #expect(health.status == 0)
        #expect(health.output.contains("status  serving"))
    }

    static let statusCases: [(name: String, arguments: [String], environment: [String: String], status: Int32)] = [
        ("ok", ["reviews", "show", "--business", "acme", "r1"], [:], 0),
        ("NOT_FOUND: unknown id", ["requests", "show", "--business", "acme", "req_99999999"], [:], 69),
        ("NOT_FOUND: another business's review", ["reviews", "show", "--business", "acme", "o1"], [:], 69),
        ("UNAUTHENTICATED: bad key", ["reviews", "show", "--business", "acme", "r1", "--key", "frk_not_a_key"], [:], 80),
        ("UNAUTHENTICATED: no keys file", ["reviews", "show", "--business", "acme", "r1"], ["FINDREVIEWER_DATA_DIR": "/nonexistent"], 80),
        ("FAILED_PRECONDITION: introduction", ["requests", "create", "--business", "acme", "--review", "r1", "--fields", "email", "--message", "Hi"], [:], 73),
        ("FAILED_PRECONDITION: platform review", ["requests", "create", "--business", "acme", "--review", "r2", "--fields", "email", "--message", "Hi", "--acknowledge-intro"], [:], 73),
        ("INVALID_ARGUMENT: bad email", ["call", "UpsertReviewer", #"{"reviewer": {"id": "x", "email": "not an email"}}"#], [:], 67),
        ("UNAVAILABLE: no server", ["health"], ["FINDREVIEWER_SERVER": "127.0.0.1:1"], 78),
        ("usage", ["reviews", "show", "r1"], [:], 2),
    ]

    @Test("exit status by status class, with advice on standard error", arguments: 0..<statusCases.count)
    func exitStatus(index: Int) throws {
        let testCase = Self.statusCases[index]
        let server = try TestServer()
        defer { server.stop() }
        #expect(try server.cli(["import", "-"], input: Self.seed).status == 0)
        let result = try server.cli(testCase.arguments, environment: testCase.environment)
        #expect(result.status == testCase.status, "\(testCase.name): \(result.errors)")
        if testCase.status == 0 {
            #expect(result.errors.isEmpty)
        } else {
            #expect(result.output.isEmpty, "\(testCase.name)")
            #expect(result.errors.hasPrefix("findreviewer: "), "\(testCase.name)")
            // Every failure says what to do next: an indented hint, or for usage where to read more.
            let advice = testCase.status == 2 ? "--help` for its options" : "\n  "
            #expect(result.errors.contains(advice), "\(testCase.name): \(result.errors)")
        }
    }

    @Test("a wrong role is PERMISSION_DENIED (71), and the advice names the key's source")
    func permissionDenied() throws {
        let server = try TestServer()
        defer { server.stop() }
        let site = try server.server.key(role: "consumer-site")
        let result = try server.cli(["requests", "list", "--business", "acme"], environment: ["FINDREVIEWER_KEY": site])
        #expect(result.status == 71)
        #expect(result.errors.contains("PERMISSION_DENIED"))
        #expect(result.errors.contains("FINDREVIEWER_KEY"))
        // The same key may call what its role allows.
        #expect(try server.cli(["reviews", "public", "nope"], environment: ["FINDREVIEWER_KEY": site]).status == 69)
    }

    @Test("clock advance on a server without --test-clock: 73 with how to start one")
    func noTestClock() throws {
        let server = try TestServer(testClock: false)
        defer { server.stop() }
        let result = try server.cli(["clock", "advance", "1h"])
        #expect(result.status == 73)
        #expect(result.errors.contains("--test-clock"))
    }

    @Test("import stops at the first refused line and says which line and what is already in")
    func importFailure() throws {
        let server = try TestServer()
        defer { server.stop() }
        let lines = """
            {"business": {"id": "acme", "displayName": "Acme", "notificationEmail": "a@acme.example"}}
            {"review": {"id": "r1", "businessId": "acme", "reviewerId": "ghost", "rating": 2, "source": "REVIEW_SOURCE_ORGANIC"}}
            """
        let result = try server.cli(["import", "-"], input: lines)
        #expect(result.status == 67)
        #expect(result.errors.contains("stdin:2: PublishReview failed: INVALID_ARGUMENT"))
        #expect(result.errors.contains("The 1 item(s) before it were imported"))
        #expect(try server.cli(["call", "GetBusiness", #"{"businessId": "acme"}"#]).status == 0)
    }
}
