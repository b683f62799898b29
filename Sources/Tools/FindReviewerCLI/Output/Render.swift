import Messages

/// The table form of each kind of answer.
enum Render {
    static func fields(_ fields: [RequestedField], label: String) -> String {
        fields.map { field in
            field == .referenceNumber && !label.isEmpty ? "\(Format.name(field)) (\(label))" : Format.name(field)
        }.joined(separator: ", ")
    }

    static func reply(_ reply: ReviewerReply?) -> [(String, String)] {
        guard let reply else { return [] }
        return [
            ("reply email", reply.email), ("reply reference", reply.referenceNumber), ("reply name", reply.fullName),
            ("reply phone", reply.phone), ("reply note", reply.note), ("replied", Format.time(reply.repliedAt)),
        ]
    }

    static func request(_ request: InfoRequest) -> String {
        var pairs: [(String, String)] = [
            ("request", request.id), ("business", request.businessId), ("review", request.reviewId),
            ("reviewer", request.reviewerDisplayName), ("status", Format.name(request.status)),
            ("fields", self.fields(request.requestedFields, label: request.referenceLabel)), ("message", request.message),
            ("created", Format.time(request.createdAt)), ("deadline", Format.time(request.deadlineAt)),
            ("reminder sent", Format.time(request.reminderSentAt)), ("manual reminder", Format.time(request.manualReminderSentAt)),
            ("answered", Format.time(request.answeredAt)), ("opened", Format.time(request.openedAt)), ("closed", Format.time(request.closedAt)),
        ]
        if request.replyAvailable && request.reply == nil {
            pairs.append(("reply", "available: `findreviewer requests open --business \(request.businessId) \(request.id)` shows it"))
        }
        pairs += self.reply(request.reply)
        pairs += [
            ("kept until", Format.time(request.replyRetainedUntil)), ("details erased", Format.time(request.replyErasedAt)),
            ("notice", request.notice), ("business emails", request.skipBusinessNotificationEmail ? "skipped for this request" : ""),
        ]
        var out = Table.record(pairs)
        if !request.timeline.isEmpty { out += "\n" + self.timeline(request.timeline) }
        return out
    }

    static func timeline(_ entries: [TimelineEntry]) -> String {
        var table = Table(["AT", "EVENT", "DETAIL"])
        for entry in entries { table.append([Format.time(entry.at), Format.name(entry.kind), entry.detail]) }
        return table.render()
    }

    static func requests(_ list: ListInfoRequestsResponse) -> String {
        var table = Table(["REQUEST", "REVIEW", "STATUS", "CREATED", "DEADLINE", "REPLY"])
        for request in list.requests {
            let reply = request.reply != nil ? "opened" : (request.replyAvailable ? "available" : "")
            table.append([
                request.id, request.reviewId, Format.name(request.status), Format.time(request.createdAt),
                request.status == .pending ? Format.time(request.deadlineAt) : "", reply,
            ])
        }
        var out = table.render(empty: "(no requests)")
        let counts = list.counts.filter { $0.count > 0 }.map { "\(Format.name($0.status)) \($0.count)" }
        out += "\n\(list.totalMatching) matching" + (counts.isEmpty ? "" : "; all of the business's requests: " + counts.joined(separator: ", ")) + "\n"
        if !list.nextPageToken.isEmpty { out += "more: add --page-token \(list.nextPageToken)\n" }
        return out
    }

    static func review(_ view: BusinessReviewView) -> String {
        let review = view.review ?? Review()
        let summary = view.findReviewer ?? FindReviewerSummary()
        var pairs: [(String, String)] = [
            ("review", review.id), ("business", review.businessId), ("reviewer", view.reviewerDisplayName),
            ("rating", String(review.rating)), ("title", review.title), ("text", review.text),
            ("experience", review.experienceDate), ("created", Format.time(review.createdAt)), ("source", Format.name(review.source)),
            ("public reply", review.publicReply?.text ?? ""),
            ("find reviewer", summary.eligible ? "eligible" : "not eligible (platform invitation)"),
            ("contacted", summary.contacted ? "yes" : "no"), ("latest request", summary.latestRequestId),
            ("latest status", summary.latestRequestId.isEmpty ? "" : Format.name(summary.latestStatus)),
            ("can report not-genuine", summary.canReportNotGenuine ? "yes" : "no"),
        ]
        pairs += self.reply(summary.reply)
        return Table.record(pairs)
    }

    static func reviews(_ list: ListReviewsResponse) -> String {
        var table = Table(["REVIEW", "RATING", "SOURCE", "REVIEWER", "CONTACTED", "LATEST", "TITLE"])
        for view in list.reviews {
            let review = view.review ?? Review()
            let summary = view.findReviewer ?? FindReviewerSummary()
            table.append([
                review.id, String(review.rating), Format.name(review.source), view.reviewerDisplayName, summary.contacted ? "yes" : "no",
                summary.latestRequestId.isEmpty ? "" : "\(summary.latestRequestId) \(Format.name(summary.latestStatus))", review.title,
            ])
        }
        var out = table.render(empty: "(no reviews)")
        if !list.nextPageToken.isEmpty { out += "more: add --page-token \(list.nextPageToken)\n" }
        return out
    }

    static func reviewerView(_ view: ReviewerRequestView) -> String {
        Table.record([
            ("request", view.requestId), ("business", view.businessDisplayName), ("review", view.reviewTitle),
            ("status", Format.name(view.status)), ("asks for", self.fields(view.requestedFields, label: view.referenceLabel)),
            ("message", view.message), ("answer before", Format.time(view.deadlineAt)),
            ("blocked", view.businessBlocked ? "yes, this business: `findreviewer reviewer unblock TOKEN` lifts it" : ""),
            ("kept until", Format.time(view.replyRetainedUntil)), ("erased", Format.time(view.replyErasedAt)),
            ("notice", view.notice),
        ])
    }

    static func publicReview(_ view: PublicReviewView) -> String {
        Table.record([
            ("review", view.reviewId), ("business", "\(view.businessDisplayName) (\(view.businessId))"),
            ("reviewer", view.reviewerDisplayName), ("rating", String(view.rating)), ("title", view.title), ("text", view.text),
            ("experience", view.experienceDate), ("created", Format.time(view.createdAt)),
            ("reviewer contacted", view.reviewerContacted ? "yes" : "no"), ("public reply", view.publicReply?.text ?? ""),
        ])
    }

    static func report(_ report: Report) -> String {
        Table.record([
            ("report", report.id), ("business", report.businessId), ("review", report.reviewId), ("reason", Format.name(report.reason)),
            ("explanation", report.explanation), ("status", Format.name(report.status)), ("created", Format.time(report.createdAt)),
        ])
    }

    static func clock(_ clock: ClockResponse) -> String {
        Table.record([
            ("now", Format.time(clock.now) + " (\(clock.now))"), ("test clock", clock.testClock ? "yes" : "no"),
            ("transitions applied", clock.transitionsApplied > 0 ? String(clock.transitionsApplied) : ""),
        ])
    }
}
