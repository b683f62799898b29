import Foundation
import Messages
import RPC
import Testing

@testable import FindReviewerCLI
import ToolSupport

/// Pure pieces of the CLI: values in tables, spans, enums, emails, import lines, exit statuses.
@Suite("Formatting, parsing of values, outbox emails, exit statuses")
struct FormattingTests {
    @Test("spans: 3d, 72h, 1d12h, 90m, plain seconds; rejects the rest")
    func spans() {
        #expect(Format.parseSpan("3d") == 259_200)
        #expect(Format.parseSpan("72h") == 259_200)
        #expect(Format.parseSpan("1d12h") == 129_600)
        #expect(Format.parseSpan("90m") == 5_400)
        #expect(Format.parseSpan("45") == 45)
        for bad in ["", "3", "d", "3x", "3 d", "h3"] where bad != "3" { #expect(Format.parseSpan(bad) == nil, "\(bad)") }
        #expect(Format.span(129_600) == "1d 12h")
        #expect(Format.span(59) == "59s")
    }

    @Test("enums by words, Swift name, proto name or alias; shown in words")
    func enums() {
        #expect(Format.parseEnum("reference-number", as: RequestedField.self) == .referenceNumber)
        #expect(Format.parseEnum("REQUESTED_FIELD_FULL_NAME", as: RequestedField.self) == .fullName)
        #expect(Format.parseEnum("fullName", as: RequestedField.self) == .fullName)
        #expect(Format.parseEnum("name", as: RequestedField.self, aliases: ["name": .fullName]) == .fullName)
        #expect(Format.parseEnum("unspecified", as: RequestedField.self) == nil)
        #expect(Format.parseEnum("shoe", as: RequestedField.self) == nil)
        #expect(Format.name(ReviewSource.businessInvitation) == "business-invitation")
        #expect(Format.name(RequestStatus.pending) == "pending")
        #expect(Format.time(0) == "")
        #expect(Format.time(1_790_000_000) == "2026-09-21 14:13:20 UTC")
        #expect(Format.count(1_234_567) == "1,234,567")
    }

    @Test("tables align columns, flatten newlines and say when they are empty; records skip empty values")
    func tables() {
        var table = Table(["ID", "STATUS", "TEXT"])
        table.append(["req_1", "pending", "two\nlines"])
        table.append(["req_10", "answered", ""])
        #expect(table.render() == "ID      STATUS    TEXT\nreq_1   pending   two ⏎ lines\nreq_10  answered\n")
        #expect(Table(["A"]).render(empty: "(none)") == "A\n(none)\n")
        #expect(Table.record([("status", "pending"), ("opened", ""), ("message", "a\nb")]) == "status   pending\nmessage  a\n         b\n")
    }

    @Test("exit statuses: 0, 1, 2, and 64 + the gRPC code for each status")
    func exitStatuses() {
        #expect(ExitStatus.forStatus(.ok) == 0)
        #expect(ExitStatus.forStatus(.notFound) == 69)
        #expect(ExitStatus.forStatus(.failedPrecondition) == 73)
        #expect(ExitStatus.forStatus(.unavailable) == 78)
        #expect(ExitStatus.forStatus(.unauthenticated) == 80)
        let all = (1...16).map { ExitStatus.forStatus(StatusCode(rawValue: $0)) }
        #expect(Set(all).count == 16)
        #expect(all.allSatisfy { $0 > 2 && $0 < 256 })
        for code in 1...16 { #expect(ExitStatus.status(forExitStatus: ExitStatus.forStatus(StatusCode(rawValue: Int32(code))))?.rawValue == Int32(code)) }
    }

    @Test("outbox emails: headers unfolded, RFC 2047 words and quoted-printable decoded, the reply token found across a soft break")
    func outboxEmail() {
        let raw = [
            "From: FindReviewer <no-reply@reviews.example>",
            "To: =?utf-8?B?QW5uIMOFbmdzdHLDtm0=?= <ann@mail.example>",
            "Subject: Acme Resor would like to know more",
            " about your review",
            "X-FindReviewer-Kind: requestToReviewer",
            "",
            "Hello Ann =C3=85ngstr=C3=B6m,",
            "https://reviews.example/find-reviewer/reply?token=3Dabababababababababababa=",
            "babababababababababababab",
            "",
        ].joined(separator: "\r\n")
        let email = OutboxReader.parse(raw, file: "out_00000007.eml")
        #expect(email.to == "Ann Ångström <ann@mail.example>")
        #expect(email.subject == "Acme Resor would like to know more about your review")
        #expect(email.kind == "requestToReviewer")
        #expect(email.body.contains("Hello Ann Ångström,"))
        #expect(email.token == "abababababababababababababababababababababababab")
        #expect(OutboxReader.parse("To: x\r\n\r\nNo link here.", file: "a.eml").token == nil)
    }

    @Test("import lines: kinds named or given with --kind, comments skipped, errors name file and line")
    func importLines() throws {
        let text = """
            # businesses first
            {"business": {"id": "acme", "displayName": "Acme", "notificationEmail": "a@acme.example"}}

            {"review": {"id": "r1", "businessId": "acme", "reviewerId": "ann", "rating": 2, "source": "REVIEW_SOURCE_ORGANIC"}}
            """
        let items = try Commands.parseImport(text, source: "f.jsonl", kind: nil)
        #expect(items.map(\.place) == ["f.jsonl:2", "f.jsonl:4"])
        #expect(items[0].item == .business(Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")))
        #expect(items[1].item == .review(Review(id: "r1", businessId: "acme", reviewerId: "ann", rating: 2, source: .organic)))
        let bare = try Commands.parseImport(#"{"id": "ann", "email": "ann@m.example"}"#, source: "r", kind: "reviewer")
        #expect(bare.first?.item == .reviewer(Reviewer(id: "ann", email: "ann@m.example")))

        let failures: [(String, String)] = [
            ("{\"business\": {\"id\": \"a\"}}\n{oops", "f:2: not JSON"),
            (#"{"shop": {"id": "a"}}"#, "f:1: unknown kind \"shop\""),
            (#"{"business": {"id": "a", "colour": "red"}}"#, "f:1: not a valid business: unknown field \"colour\""),
            (#"{"business": {}, "review": {}}"#, "f:1: expected one object naming its kind"),
        ]
        for (input, expected) in failures {
            let error = #expect(throws: CLIError.self) { _ = try Commands.parseImport(input, source: "f", kind: nil) }
            #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "")")
            #expect(error?.exitStatus == 2)
        }
    }

    @Test("method names: full, Service/Method, dotted, unique short name")
    func methodNames() {
        #expect(Commands.resolveMethod("findreviewer.v1.FindReviewer/GetReview").0?.fullName == "findreviewer.v1.FindReviewer/GetReview")
        #expect(Commands.resolveMethod("FindReviewer/GetReview").0?.fullName == "findreviewer.v1.FindReviewer/GetReview")
        #expect(Commands.resolveMethod("findreviewer.v1.Admin.GetClock").0?.fullName == "findreviewer.v1.Admin/GetClock")
        #expect(Commands.resolveMethod("AdvanceClock").0?.inputType == "findreviewer.v1.AdvanceClockRequest")
        #expect(Commands.resolveMethod("Nope").0 == nil)
    }

    @Test("advice: the hint fits the status and reason")
    func advice() {
        let settings = ConnectionSettings(
            server: "127.0.0.1:7450", serverGiven: false, dataDirectory: "./data", key: nil, keySource: "no key was sent: ./data/keys.json does not exist",
            timeout: .seconds(10))
        let intro = ErrorAdvice.cliError(
            RPCError(
                .failedPrecondition, "acknowledge first",
                details: [ErrorDetail(reason: "INTRODUCTION_NOT_ACKNOWLEDGED", description: "Find Reviewer lets you ask...")]),
            method: "findreviewer.v1.FindReviewer/CreateInfoRequest", settings: settings)
        #expect(intro.message.contains("CreateInfoRequest failed: FAILED_PRECONDITION: acknowledge first"))
        #expect(intro.message.contains("Find Reviewer lets you ask..."))
        #expect(intro.hint.contains("--acknowledge-intro"))
        #expect(intro.exitStatus == 73)
        let noKey = ErrorAdvice.cliError(RPCError(.unauthenticated, "no key"), method: "M", settings: settings)
        #expect(noKey.hint.contains("./data/keys.json does not exist"))
        let field = ErrorAdvice.cliError(
            RPCError(.invalidArgument, "too long", details: [ErrorDetail(reason: "INVALID_FIELD", field: "message")]), method: "M",
            settings: settings, flags: ["message": "--message"])
        #expect(field.hint.contains("Fix --message (field message)"))
        #expect(ErrorAdvice.cliError(RPCError(.unavailable, "refused"), method: "M", settings: settings).hint.contains("make run"))
    }
}
