import FindReviewerClient
import Messages
import RPC
import ToolSupport

extension Commands {
    static let reviewId = ArgumentSpec("REVIEW-ID", "The review, e.g. r1.")
    static let reasonAliases: [String: ReportReason] = [
        "harmful": .harmfulOrIllegal, "illegal": .harmfulOrIllegal, "personal": .personalInformation, "advertising": .advertisingOrPromotional,
        "promotional": .advertisingOrPromotional, "not-genuine": .notGenuineExperience, "fake": .notGenuineExperience,
        "other-business": .differentBusiness,
    ]

    /// `reviews ...`: a business's reviews, public replies and reports; the public page.
    static let reviews: [Command] = [
        Command(group: .group(["reviews"], summary: "A business's reviews: list, show, public reply, report; the public page.")),
        Command(
            CommandSpec(
                ["reviews", "list"], summary: "List a business's reviews with their Find Reviewer state.",
                options: [
                    business, .flag("contacted", "Only reviews whose author was sent a request."),
                    .flag("not-contacted", "Only reviews whose author was never sent a request."),
                    .value("status", "LIST", "Only reviews whose newest request has one of these statuses.", repeatable: true),
                    .flag("eligible", "Only reviews that can get a request (organic or business-invited)."),
                ] + paging + [json])
        ) { invocation throws(CLIError) in
            let contacted = invocation.arguments.flag("contacted")
            let notContacted = invocation.arguments.flag("not-contacted")
            if contacted && notContacted { throw invocation.usage("--contacted and --not-contacted exclude each other; give one") }
            let request = ListReviewsRequest(
                businessId: invocation.required("business"), contactFilter: contacted ? .contacted : (notContacted ? .notContacted : .any),
                statuses: try invocation.enums("status", as: RequestStatus.self), eligibleOnly: invocation.arguments.flag("eligible"),
                pageSize: UInt32(try invocation.integer("page-size", in: 1...500, default: 50)), pageToken: invocation.arguments.value("page-token") ?? "")
            let answer = try invocation.call("FindReviewer/ListReviews") { client throws(RPCError) in try client.listReviews(request) }
            invocation.emit(answer) { Render.reviews(answer) }
            return ExitStatus.success
        },
        Command(
            CommandSpec(["reviews", "show"], summary: "Show a review as its business sees it, with its Find Reviewer state.", arguments: [reviewId], options: [business, json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/GetReview", flags: reviewFlags) { client throws(RPCError) in
                try client.getReview(GetReviewRequest(businessId: invocation.required("business"), reviewId: invocation.positional(0)))
            }
            invocation.emit(answer) { Render.review(answer.view ?? BusinessReviewView()) }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["reviews", "reply"], summary: "Set (or replace, or with --delete remove) the business's public reply to a review.",
                discussion: "Example:\n  findreviewer reviews reply --business acme r1 \"Thank you, we are looking into it.\"",
                arguments: [reviewId, ArgumentSpec("TEXT", "The reply (1 to 5000 characters); leave out with --delete.", optional: true)],
                options: [business, .flag("delete", "Remove the public reply instead."), json])
        ) { invocation throws(CLIError) in
            let business = invocation.required("business")
            let review = invocation.positional(0)
            let delete = invocation.arguments.flag("delete")
            let text = invocation.arguments.positional(1)
            if delete && text != nil { throw invocation.usage("give either TEXT or --delete, not both") }
            if !delete && text == nil { throw invocation.usage("missing argument TEXT: the reply to show under the review (or --delete)") }
            let shown: Review
            if delete {
                let answer = try invocation.call("FindReviewer/DeletePublicReply", flags: reviewFlags) { client throws(RPCError) in
                    try client.deletePublicReply(DeletePublicReplyRequest(businessId: business, reviewId: review))
                }
                if invocation.json { invocation.console.print(Invocation.json(answer)); return ExitStatus.success }
                shown = answer.review ?? Review()
            } else {
                let answer = try invocation.call("FindReviewer/SetPublicReply", flags: reviewFlags.merging(["text": "TEXT"]) { $1 }) {
                    client throws(RPCError) in
                    try client.setPublicReply(SetPublicReplyRequest(businessId: business, reviewId: review, text: text ?? ""))
                }
                if invocation.json { invocation.console.print(Invocation.json(answer)); return ExitStatus.success }
                shown = answer.review ?? Review()
            }
            invocation.console.out(
                Table.record([
                    ("review", shown.id), ("public reply", shown.publicReply?.text ?? "(none)"),
                    ("updated", Format.time(shown.publicReply?.updatedAt ?? 0)),
                ]))
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["reviews", "report"], summary: "Report a review to the platform; the review stays online.",
                discussion: """
                    Reasons: harmful-or-illegal, personal-information, advertising-or-promotional,
                    not-genuine-experience, different-business. A not-genuine-experience report on an
                    organic or business-invited review is refused until a Find Reviewer request on it was
                    answered, declined or expired.

                    Example:
                      findreviewer reviews report --business acme r1 --reason not-genuine-experience \\
                        --explanation "No booking matches this review." --acknowledge-guidelines
                    """,
                arguments: [reviewId],
                options: [
                    business, .value("reason", "REASON", "Why (see above).", required: true),
                    .value("explanation", "TEXT", "Public-facing explanation (1 to 2000 characters).", required: true),
                    .flag("acknowledge-guidelines", "Confirm that misusing reports breaks the guidelines (required)."), json,
                ])
        ) { invocation throws(CLIError) in
            guard invocation.arguments.flag("acknowledge-guidelines") else {
                throw invocation.usage(
                    "--acknowledge-guidelines is required",
                    hint: "A report must confirm that reporting a review to get it removed unfairly breaks the guidelines.")
            }
            let reasonText = invocation.required("reason")
            guard let reason = Format.parseEnum(reasonText, as: ReportReason.self, aliases: Self.reasonAliases) else {
                throw invocation.usage("--reason: \"\(reasonText)\" is not one of \(Format.choices(ReportReason.self))")
            }
            let request = CreateReportRequest(
                businessId: invocation.required("business"), reviewId: invocation.positional(0), reason: reason,
                explanation: invocation.required("explanation"), acknowledgeGuidelines: true)
            let answer = try invocation.call("FindReviewer/CreateReport", flags: reviewFlags.merging(["explanation": "--explanation"]) { $1 }) {
                client throws(RPCError) in try client.createReport(request)
            }
            invocation.emit(answer) { Render.report(answer.report ?? Report()) }
            return ExitStatus.success
        },
        Command(
            CommandSpec(["reviews", "public"], summary: "Show a review as anyone sees it (with the \"reviewer contacted\" flag).", arguments: [reviewId], options: [json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/GetPublicReview", flags: reviewFlags) { client throws(RPCError) in
                try client.getPublicReview(GetPublicReviewRequest(reviewId: invocation.positional(0)))
            }
            invocation.emit(answer) { Render.publicReview(answer.review ?? PublicReviewView()) }
            return ExitStatus.success
        },
    ]

    static let token = ArgumentSpec("TOKEN", "The reply token from the link in the reviewer's email (`findreviewer outbox` shows it).")

    /// `reviewer ...`: the reviewer's side, by reply token, as the consumer site calls it.
    static let reviewer: [Command] = [
        Command(group: .group(["reviewer"], summary: "The reviewer's side of a request, by the token in their email link.")),
        Command(CommandSpec(["reviewer", "view"], summary: "Show the request as the reviewer sees it.", arguments: [token], options: [json])) {
            invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/ViewRequestByToken", flags: ["token": "TOKEN"]) { client throws(RPCError) in
                try client.viewRequestByToken(ViewRequestByTokenRequest(token: invocation.positional(0)))
            }
            invocation.emit(answer) { Render.reviewerView(answer.request ?? ReviewerRequestView()) }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["reviewer", "reply"], summary: "Answer a request: any of the requested details and/or a note (text only).",
                discussion: "Example:\n  findreviewer reviewer reply TOKEN --reference BK-4711 --name \"Ann Andersson\"",
                arguments: [token],
                options: [
                    .value("reference", "TEXT", "The reference (order, booking, ...) number."), .value("name", "TEXT", "Full name."),
                    .value("email", "ADDRESS", "Email address."), .value("phone", "NUMBER", "Phone number."),
                    .value("note", "TEXT", "A note to the business."), json,
                ])
        ) { invocation throws(CLIError) in
            let values = invocation.arguments
            let request = ReplyToRequestRequest(
                token: invocation.positional(0), email: values.value("email") ?? "", referenceNumber: values.value("reference") ?? "",
                fullName: values.value("name") ?? "", phone: values.value("phone") ?? "", note: values.value("note") ?? "")
            if [request.email, request.referenceNumber, request.fullName, request.phone, request.note].allSatisfy(\.isEmpty) {
                throw invocation.usage("a reply needs at least one of --reference, --name, --email, --phone or --note")
            }
            let flags = ["email": "--email", "referenceNumber": "--reference", "fullName": "--name", "phone": "--phone", "note": "--note", "token": "TOKEN"]
            let answer = try invocation.call("FindReviewer/ReplyToRequest", flags: flags) { client throws(RPCError) in try client.replyToRequest(request) }
            invocation.emit(answer) { Render.reviewerView(answer.request ?? ReviewerRequestView()) }
            return ExitStatus.success
        },
        Command(CommandSpec(["reviewer", "decline"], summary: "Decline to share anything; the business is told.", arguments: [token], options: [json])) {
            invocation throws(CLIError) in
            let answer = try invocation.call("FindReviewer/DeclineRequest", flags: ["token": "TOKEN"]) { client throws(RPCError) in
                try client.declineRequest(DeclineRequestRequest(token: invocation.positional(0)))
            }
            invocation.emit(answer) { Render.reviewerView(answer.request ?? ReviewerRequestView()) }
            return ExitStatus.success
        },
    ]
}
