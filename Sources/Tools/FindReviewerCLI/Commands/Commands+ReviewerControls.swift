import FindReviewerClient
import Messages
import RPC
import ToolSupport

extension Commands {
    static let reviewerId = ArgumentSpec("REVIEWER-ID", "The reviewer, by the id the reviews pipeline gave them.")

    /// `reviewer block|unblock TOKEN`: the reviewer's controls over a business, by link.
    static let reviewerControls: [Command] = [
        Command(
            CommandSpec(
                ["reviewer", "block"], summary: "Decline, and not be contacted by the link's business again (the business sees a decline).",
                discussion: """
                    The business's pending requests to the reviewer are declined, and its later requests for any
                    of their reviews are refused (FAILED_PRECONDITION REVIEWER_NOT_CONTACTABLE). The reviewer
                    gets an email with the link that lifts the block.

                    Example:
                      findreviewer reviewer block TOKEN
                    """,
                arguments: [token], options: [json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/BlockBusiness", flags: ["token": "TOKEN"]) { client throws(RPCError) in
                try client.blockBusiness(BlockBusinessRequest(token: invocation.positional(0)))
            }
            invocation.emit(answer) { Render.reviewerView(answer.request ?? ReviewerRequestView()) }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["reviewer", "unblock"], summary: "Lift the block of the link's business (from any of its links, the block email's too).",
                arguments: [token], options: [json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/UnblockBusiness", flags: ["token": "TOKEN"]) { client throws(RPCError) in
                try client.unblockBusiness(UnblockBusinessRequest(token: invocation.positional(0)))
            }
            invocation.emit(answer) { Render.reviewerView(answer.request ?? ReviewerRequestView()) }
            return ExitStatus.success
        },
    ]

    /// `admin ...`: support acting for a reviewer (admin key).
    static let admin: [Command] = [
        Command(group: .group(["admin"], summary: "Support for reviewers (admin): their blocks, lifting one, erasing a reviewer.")),
        Command(
            CommandSpec(
                ["admin", "blocks"], summary: "List the businesses a reviewer blocked, oldest block first.", arguments: [reviewerId],
                options: paging + [json])
        ) { invocation throws(CLIError) in
            let request = ListReviewerBlocksRequest(
                reviewerId: invocation.positional(0), pageSize: UInt32(try invocation.integer("page-size", in: 1...500, default: 50)),
                pageToken: invocation.arguments.value("page-token") ?? "")
            let answer = try invocation.call("FindReviewer/ListReviewerBlocks", flags: ["reviewerId": "REVIEWER-ID"]) { client throws(RPCError) in
                try client.listReviewerBlocks(request)
            }
            invocation.emit(answer) {
                var table = Table(["BUSINESS", "NAME", "BLOCKED"])
                for block in answer.blocks { table.append([block.businessId, block.businessDisplayName, Format.time(block.blockedAt)]) }
                var out = table.render(empty: "(no blocks)")
                if !answer.nextPageToken.isEmpty { out += "more: add --page-token \(answer.nextPageToken)\n" }
                return out
            }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["admin", "unblock"], summary: "Lift a reviewer's block of a business, for the reviewer.",
                discussion: "Example:\n  findreviewer admin unblock --business acme ann", arguments: [reviewerId], options: [business, json])
        ) { invocation throws(CLIError) in
            let request = UnblockBusinessForReviewerRequest(businessId: invocation.required("business"), reviewerId: invocation.positional(0))
            let flags = ["businessId": "--business", "reviewerId": "REVIEWER-ID"]
            let answer = try invocation.call("FindReviewer/UnblockBusinessForReviewer", flags: flags) { client throws(RPCError) in
                try client.unblockBusinessForReviewer(request)
            }
            invocation.emit(answer) {
                Table.record([("unblocked", answer.wasBlocked ? "yes" : "no: there was no block (nothing changed)")])
            }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["admin", "erase-reviewer"], summary: "Erase a reviewer's personal data (the right to erasure); stubs remain.",
                discussion: """
                    Erases the reviewer's name, email and locale, their reviews' title and text, their replies'
                    details, their reply links and the emails not sent to them yet; then snapshots, so that no
                    journal segment, snapshot or .eml file in the data directory holds the data any more
                    (README: "Erasure and retention"). Repeating it changes nothing.

                    Example:
                      findreviewer admin erase-reviewer ann
                    """,
                arguments: [reviewerId], options: [json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/EraseReviewer", flags: ["reviewerId": "REVIEWER-ID"]) { client throws(RPCError) in
                try client.eraseReviewer(EraseReviewerRequest(reviewerId: invocation.positional(0)))
            }
            invocation.emit(answer) {
                Table.record([
                    ("reviewer", answer.reviewer?.id ?? ""), ("erased", Format.time(answer.reviewer?.erasedAt ?? 0)),
                    ("reviews", "\(answer.reviews) (now stubs)"), ("requests", String(answer.requests)),
                    ("emails cancelled", String(answer.emailsCancelled)),
                ])
            }
            return ExitStatus.success
        },
    ]
}
