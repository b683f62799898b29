import FindReviewerClient
import Foundation
import Messages
import RPC
import ToolSupport

extension Commands {
    /// `admin export`, `admin import`, `admin forget`: moving a business between shards
    /// (admin key; Protos/PROTOCOL.md §9.5, README "Moving a business").
    static let moving: [Command] = [
        Command(
            CommandSpec(
                ["admin", "export"], summary: "Export a business to a file and mark it moving: its writes are refused from now on.",
                discussion: """
                    Step 1 of a move, on the business's current shard: writes everything about the business
                    (reviews, reviewers, requests with tokens, timelines and timers, reports, emails, blocks) to
                    FILE, and from then on the shard refuses writes to it (FAILED_PRECONDITION BUSINESS_MOVING).
                    Repeating it writes the same data. Then: `admin import` on the new shard, change the shard
                    map, `admin forget` on this one.

                    Example:
                      findreviewer --server shard-0:7450 admin export --business acme --out acme.export
                    """,
                options: [business, .value("out", "FILE", "Where to write the export.", required: true), json])
        ) { invocation throws(CLIError) in
            let businessId = invocation.required("business")
            let out = invocation.required("out")
            let answer = try invocation.call("Admin/ExportBusiness", flags: ["businessId": "--business"]) { client throws(RPCError) in
                try client.exportBusiness(ExportBusinessRequest(businessId: businessId))
            }
            do {
                try answer.data.write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw .failure(
                    "could not write the export to \(out): \(error.localizedDescription)",
                    hint: "The business is marked moving on the server; export it again (the same data) to a writable path.")
            }
            invocation.emit(ExportBusinessResponse(data: Data(), counts: answer.counts)) {
                Table.record([("exported", businessId), ("file", "\(out) (\(Format.count(UInt64(answer.data.count))) bytes)")] + Self.countRows(answer.counts)
                    + [("now", "moving: writes to it are refused here; import it on its new shard")])
            }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["admin", "import"], summary: "Load a business exported by another shard (this shard must own its slot).",
                discussion: """
                    Step 2 of a move, on the new shard (started with a map that gives it the business's slot).
                    Request and report ids are numbered per shard: the import renumbers them and prints the
                    old and new ids (--json lists them all). Refused: ALREADY_EXISTS when the business is
                    here already, WRONG_SHARD when this shard does not own its slot, INVALID_ARGUMENT for
                    a file that is not an export.

                    Example:
                      findreviewer --server shard-1:7450 admin import --file acme.export
                    """,
                options: [.value("file", "FILE", "An export written by `admin export`.", required: true), json])
        ) { invocation throws(CLIError) in
            let path = invocation.required("file")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw invocation.usage("cannot read the export file \(path)")
            }
            let answer = try invocation.call("Admin/ImportBusiness", flags: ["data": "--file"]) { client throws(RPCError) in
                try client.importBusiness(ImportBusinessRequest(data: data))
            }
            invocation.emit(answer) {
                var out = Table.record([("imported", answer.businessId)] + Self.countRows(answer.counts))
                var table = Table(["REQUEST", "NOW"])
                for renamed in answer.requests.prefix(20) { table.append([renamed.before, renamed.after]) }
                out += table.render(empty: "(no requests)")
                if answer.requests.count > 20 { out += "… \(answer.requests.count - 20) more (--json lists every renamed id)\n" }
                return out
            }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["admin", "forget"], summary: "Remove a moved business and all its data from this shard (only once exported).",
                discussion: """
                    Step 4 of a move, on the old shard, after the import on the new one succeeded: removes the
                    business, its reviews, requests, reports, emails and blocks, and reviewers left without a
                    review here. Only a business `admin export` marked moving (else FAILED_PRECONDITION
                    BUSINESS_NOT_MOVING).

                    Example:
                      findreviewer --server shard-0:7450 admin forget --business acme
                    """,
                options: [business, json])
        ) { invocation throws(CLIError) in
            let businessId = invocation.required("business")
            let answer = try invocation.call("Admin/ForgetBusiness", flags: ["businessId": "--business"]) { client throws(RPCError) in
                try client.forgetBusiness(ForgetBusinessRequest(businessId: businessId))
            }
            invocation.emit(answer) { Table.record([("forgotten", businessId)] + Self.countRows(answer.counts)) }
            return ExitStatus.success
        },
    ]

    static func countRows(_ counts: BusinessCounts?) -> [(String, String)] {
        guard let counts else { return [] }
        return [
            ("reviews", String(counts.reviews)), ("reviewers", String(counts.reviewers)), ("requests", String(counts.requests)),
            ("reports", String(counts.reports)), ("emails", "\(counts.outboxEntries) (\(counts.pendingEmails) not sent yet)"),
            ("blocks", String(counts.blocks)),
        ]
    }
}
