import FindReviewerClient
import Foundation
import Messages
import RPC
import ToolSupport

extension Commands {
    /// `import`: businesses, reviewers and reviews from JSON lines, as the reviews pipeline sends them.
    static let importing: [Command] = [
        Command(
            CommandSpec(
                ["import"], summary: "Import businesses, reviewers and reviews from JSON lines (upserts).",
                discussion: """
                    Each line is one object naming what it holds, in proto3 JSON:
                      {"business": {"id": "acme", "displayName": "Acme Travel", "notificationEmail": "team@acme.example", "locale": "en"}}
                      {"reviewer": {"id": "ann", "displayName": "Ann", "email": "ann@mail.example"}}
                      {"review": {"id": "r1", "businessId": "acme", "reviewerId": "ann", "rating": 2, "title": "Late", "source": "REVIEW_SOURCE_ORGANIC"}}
                    With --kind, lines are bare objects of that kind. Blank lines and lines starting with #
                    are skipped. Every line is checked before anything is sent; lines are then sent in
                    order (businesses and reviewers before the reviews that name them). Imports are
                    upserts, so running a file again is safe.
                    """,
                arguments: [ArgumentSpec("FILE", "JSON lines files; - reads standard input.", variadic: true)],
                options: [.value("kind", "business|reviewer|review", "Every line is a bare object of this kind."), json])
        ) { invocation throws(CLIError) in
            try Self.runImport(invocation)
        },
    ]

    /// One line of an import file.
    enum ImportItem: Equatable {
        case business(Business)
        case reviewer(Reviewer)
        case review(Review)

        var kind: String {
            switch self {
            case .business: return "business"
            case .reviewer: return "reviewer"
            case .review: return "review"
            }
        }
    }

    /// Parses an import file; every error names the file and line.
    static func parseImport(_ text: String, source: String, kind: String?) throws(CLIError) -> [(place: String, item: ImportItem)] {
        var items: [(place: String, item: ImportItem)] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let place = "\(source):\(offset + 1)"
            var itemKind = kind
            var body = line
            if kind == nil {
                let value: JSONValue
                do {
                    value = try JSONValue.parse(line)
                } catch {
                    throw .usage("\(place): not JSON: \(error.message)", path: ["import"])
                }
                guard case .object(let members) = value, members.count == 1 else {
                    throw .usage(
                        "\(place): expected one object naming its kind, like {\"business\": {...}}", path: ["import"],
                        hint: "Or pass --kind business|reviewer|review when every line is a bare object of one kind.")
                }
                itemKind = members[0].0
                body = members[0].1.serialized()
            }
            do {
                switch itemKind {
                case "business": items.append((place, .business(try Business(jsonString: body))))
                case "reviewer": items.append((place, .reviewer(try Reviewer(jsonString: body))))
                case "review": items.append((place, .review(try Review(jsonString: body))))
                default:
                    throw CLIError.usage(
                        "\(place): unknown kind \"\(itemKind ?? "")\"; lines hold a business, reviewer or review", path: ["import"])
                }
            } catch let error as CLIError {
                throw error
            } catch let error as MessageError {
                throw .usage("\(place): not a valid \(itemKind ?? ""): \(error.message)", path: ["import"])
            } catch {
                throw .usage("\(place): \(error)", path: ["import"])
            }
        }
        return items
    }

    private static func runImport(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let kind = invocation.arguments.value("kind")
        if let kind, !["business", "reviewer", "review"].contains(kind) {
            throw invocation.usage("--kind must be business, reviewer or review, not \"\(kind)\"")
        }
        var items: [(place: String, item: ImportItem)] = []
        for path in invocation.arguments.positionals {
            let text: String
            if path == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw invocation.usage("cannot read \(path): no such file, or no permission")
                }
                text = String(decoding: data, as: UTF8.self)
            }
            let source = path == "-" ? "stdin" : path
            items += try Self.parseImport(text, source: source, kind: kind)
        }
        var created: [String: Int] = [:]
        var updated: [String: Int] = [:]
        for (index, (place, item)) in items.enumerated() {
            let method: String
            let wasCreated: Bool
            do {
                let client = try invocation.client()
                switch item {
                case .business(let business):
                    method = "FindReviewer/UpsertBusiness"
                    wasCreated = try Self.rpc(method, invocation, place, index) { () throws(RPCError) in
                        try client.upsertBusiness(UpsertBusinessRequest(business: business)).created
                    }
                case .reviewer(let reviewer):
                    method = "FindReviewer/UpsertReviewer"
                    wasCreated = try Self.rpc(method, invocation, place, index) { () throws(RPCError) in
                        try client.upsertReviewer(UpsertReviewerRequest(reviewer: reviewer)).created
                    }
                case .review(let review):
                    method = "FindReviewer/PublishReview"
                    wasCreated = try Self.rpc(method, invocation, place, index) { () throws(RPCError) in
                        try client.publishReview(PublishReviewRequest(review: review)).created
                    }
                }
            }
            if wasCreated { created[item.kind, default: 0] += 1 } else { updated[item.kind, default: 0] += 1 }
        }
        if invocation.json {
            let kinds = ["business", "reviewer", "review"].map { kind in
                "\"\(kind)\":{\"created\":\(created[kind] ?? 0),\"updated\":\(updated[kind] ?? 0)}"
            }
            invocation.console.print("{\"items\":\(items.count)," + kinds.joined(separator: ",") + "}")
        } else {
            var table = Table(["KIND", "CREATED", "UPDATED"])
            for kind in ["business", "reviewer", "review"] {
                table.append([kind, String(created[kind] ?? 0), String(updated[kind] ?? 0)])
            }
            invocation.console.out(table.render() + "imported \(items.count) item(s) into \(invocation.settings.server)\n")
        }
        return ExitStatus.success
    }

    /// One upsert; a failure says which item it was and that the earlier ones are in.
    private static func rpc(
        _ method: String, _ invocation: Invocation, _ place: String, _ index: Int, _ body: () throws(RPCError) -> Bool
    ) throws(CLIError) -> Bool {
        do {
            return try body()
        } catch {
            var failure = ErrorAdvice.cliError(error, method: method, settings: invocation.settings)
            failure.message = "\(place): " + failure.message
            let before = index == 0 ? "Nothing was imported" : "The \(index) item(s) before it were imported"
            failure.hint = "\(before); fix \(place) and run the import again (upserts are safe to repeat). " + failure.hint
            throw failure
        }
    }
}
