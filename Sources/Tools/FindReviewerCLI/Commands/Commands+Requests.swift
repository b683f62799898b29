import FindReviewerClient
import Messages
import RPC
import ToolSupport

extension Commands {
    static let requestId = ArgumentSpec("REQUEST-ID", "The request, e.g. req_00000001.")
    static let fieldAliases: [String: RequestedField] = ["reference": .referenceNumber, "name": .fullName, "number": .referenceNumber]
    static let statusHelp = "Only these statuses (comma-separated: pending, answered, declined, withdrawn, expired)."

    /// `requests ...`: the business's side of Find Reviewer.
    static let requests: [Command] = [
        Command(group: .group(["requests"], summary: "Find Reviewer requests of a business: create, list, show, remind, withdraw, open.")),
        Command(
            CommandSpec(
                ["requests", "create"], summary: "Ask the author of a review for details that identify them as a customer.",
                discussion: """
                    The reviewer is emailed the message, the requested details and a reply link; they have
                    5 days, with an automatic reminder after 3. The first request of a business needs
                    --acknowledge-intro (the refusal shows the introduction to acknowledge).

                    Example:
                      findreviewer requests create --business acme --review r1 --fields reference,name \\
                        --label "Booking number" --message "We cannot find your booking. Could you share its number?"
                    """,
                options: [
                    business, .value("review", "ID", "The review whose author to ask.", required: true),
                    .value("message", "TEXT", "What the business writes to the reviewer (1 to 2000 characters).", required: true),
                    .value(
                        "fields", "LIST", "What to ask for, comma-separated: reference (number), name, email, phone.", required: true,
                        repeatable: true),
                    .value("label", "TEXT", "Name of the reference number, e.g. \"Booking number\" (at most 40 characters)."),
                    .flag("acknowledge-intro", "Acknowledge the Find Reviewer introduction in the same call (first use)."),
                    .value("idempotency-key", "KEY", "Repeat-safe key: a retry with the same key returns the same request."),
                    json,
                ])
        ) { invocation throws(CLIError) in
            let fields = try invocation.enums("fields", as: RequestedField.self, aliases: Self.fieldAliases)
            let request = CreateInfoRequestRequest(
                businessId: invocation.required("business"), reviewId: invocation.required("review"), message: invocation.required("message"),
                requestedFields: fields, referenceLabel: invocation.arguments.value("label") ?? "",
                acknowledgeIntro: invocation.arguments.flag("acknowledge-intro"))
            let flags = [
                "message": "--message", "requestedFields": "--fields", "referenceLabel": "--label", "reviewId": "--review", "businessId": "--business",
            ]
            let answer = try invocation.call("FindReviewer/CreateInfoRequest", flags: flags) { client throws(RPCError) in
                try client.createInfoRequest(request, idempotencyKey: invocation.arguments.value("idempotency-key"))
            }
            invocation.emit(answer) { Render.request(answer.request ?? InfoRequest()) }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["requests", "list"], summary: "List a business's requests, newest first, with counts by status.",
                options: [
                    business, .value("status", "LIST", statusHelp, repeatable: true), .value("review", "ID", "Only requests about this review."),
                ] + paging + [json])
        ) { invocation throws(CLIError) in
            let request = ListInfoRequestsRequest(
                businessId: invocation.required("business"), statuses: try invocation.enums("status", as: RequestStatus.self),
                reviewId: invocation.arguments.value("review") ?? "", pageSize: UInt32(try invocation.integer("page-size", in: 1...500, default: 50)),
                pageToken: invocation.arguments.value("page-token") ?? "")
            let answer = try invocation.call("FindReviewer/ListInfoRequests") { client throws(RPCError) in try client.listInfoRequests(request) }
            invocation.emit(answer) { Render.requests(answer) }
            return ExitStatus.success
        },
        Self.requestCommand("show", summary: "Show a request: status, times, reply (once opened) and timeline.", method: "FindReviewer/GetInfoRequest", request: \.request) {
            client, business, id throws(RPCError) in
            try client.getInfoRequest(GetInfoRequestRequest(businessId: business, requestId: id))
        },
        Command(
            CommandSpec(["requests", "timeline"], summary: "Show a request's timeline: every transition with its time.", arguments: [requestId], options: [business, json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/GetTimeline", flags: requestFlags) { client throws(RPCError) in
                try client.getTimeline(GetTimelineRequest(businessId: invocation.required("business"), requestId: invocation.positional(0)))
            }
            invocation.emit(answer) { Render.timeline(answer.entries) }
            return ExitStatus.success
        },
        Self.requestCommand(
            "remind", summary: "Send the one manual reminder of an expired request: it reopens for 5 more days.",
            method: "FindReviewer/SendManualReminder", request: \.request
        ) { client, business, id throws(RPCError) in
            try client.sendManualReminder(SendManualReminderRequest(businessId: business, requestId: id))
        },
        Self.requestCommand("withdraw", summary: "Withdraw a pending request; the reviewer's link stops working.", method: "FindReviewer/WithdrawInfoRequest", request: \.request) {
            client, business, id throws(RPCError) in
            try client.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: business, requestId: id))
        },
        Self.requestCommand("open", summary: "Open the reviewer's reply (recorded as opened) and show it.", method: "FindReviewer/OpenReply", request: \.request) {
            client, business, id throws(RPCError) in
            try client.openReply(OpenReplyRequest(businessId: business, requestId: id))
        },
    ]

    /// A `requests VERB --business ID REQUEST-ID` command that prints the request it gets back
    /// (with `--json`, the whole response).
    private static func requestCommand<Response: ProtoMessage>(
        _ verb: String, summary: String, method: String, request: KeyPath<Response, InfoRequest?> & Sendable,
        _ body: @escaping @Sendable (FindReviewerClient, String, String) throws(RPCError) -> Response
    ) -> Command {
        Command(CommandSpec(["requests", verb], summary: summary, arguments: [requestId], options: [business, json])) {
            invocation throws(CLIError) in
            let answer = try invocation.call(method, flags: requestFlags) { client throws(RPCError) in
                try body(client, invocation.required("business"), invocation.positional(0))
            }
            invocation.emit(answer) { Render.request(answer[keyPath: request] ?? InfoRequest()) }
            return ExitStatus.success
        }
    }
}
