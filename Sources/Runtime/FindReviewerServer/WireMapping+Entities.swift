import FindReviewerDomain
import FindReviewerEngine
import Messages

/// The domain's entities and views as wire messages and back: the one mapping between domain
/// and API, beside the handlers that use it. The enum conversions it builds on are in
/// FindReviewerEngine/WireMapping.swift, shared with the stored messages' mapping.
extension WireMapping {
    // MARK: entities

    public static func business(_ business: Messages.Business?) throws(DomainError) -> FindReviewerDomain.Business {
        guard let business else { throw DomainError(.invalidArgument, "business: required", field: "business") }
        return FindReviewerDomain.Business(
            id: business.id, displayName: business.displayName, notificationEmail: business.notificationEmail,
            locale: business.locale.isEmpty ? "en" : business.locale, plan: self.plan(business.plan))
    }

    public static func business(_ business: FindReviewerDomain.Business) -> Messages.Business {
        Messages.Business(
            id: business.id, displayName: business.displayName, notificationEmail: business.notificationEmail,
            locale: business.locale, plan: self.plan(business.plan), introAcknowledged: business.introAcknowledgedAt != nil,
            introAcknowledgedAt: business.introAcknowledgedAt ?? 0)
    }

    public static func reviewer(_ reviewer: Messages.Reviewer?) throws(DomainError) -> FindReviewerDomain.Reviewer {
        guard let reviewer else { throw DomainError(.invalidArgument, "reviewer: required", field: "reviewer") }
        return FindReviewerDomain.Reviewer(
            id: reviewer.id, displayName: reviewer.displayName, email: reviewer.email,
            locale: reviewer.locale.isEmpty ? "en" : reviewer.locale)
    }

    public static func reviewer(_ reviewer: FindReviewerDomain.Reviewer) -> Messages.Reviewer {
        Messages.Reviewer(
            id: reviewer.id, displayName: reviewer.displayName, email: reviewer.email, locale: reviewer.locale,
            erasedAt: reviewer.erasedAt ?? 0)
    }

    public static func review(_ review: Messages.Review?) throws(DomainError) -> FindReviewerDomain.Review {
        guard let review else { throw DomainError(.invalidArgument, "review: required", field: "review") }
        return FindReviewerDomain.Review(
            id: review.id, businessId: review.businessId, reviewerId: review.reviewerId, rating: Int(review.rating),
            title: review.title, text: review.text, experienceDate: review.experienceDate, createdAt: review.createdAt,
            source: try self.source(review.source, field: "review.source"))
    }

    public static func review(_ review: FindReviewerDomain.Review) -> Messages.Review {
        Messages.Review(
            id: review.id, businessId: review.businessId, reviewerId: review.reviewerId, rating: Int32(review.rating),
            title: review.title, text: review.text, experienceDate: review.experienceDate, createdAt: review.createdAt,
            source: self.source(review.source), publicReply: review.publicReply.map(self.publicReply))
    }

    public static func publicReply(_ reply: FindReviewerDomain.PublicReply) -> Messages.PublicReply {
        Messages.PublicReply(text: reply.text, createdAt: reply.createdAt, updatedAt: reply.updatedAt)
    }

    public static func reply(_ reply: FindReviewerDomain.ReviewerReply) -> Messages.ReviewerReply {
        Messages.ReviewerReply(
            email: reply.email, referenceNumber: reply.referenceNumber, fullName: reply.fullName, phone: reply.phone,
            note: reply.note, repliedAt: reply.repliedAt)
    }

    public static func timeline(_ entries: [FindReviewerDomain.TimelineEntry]) -> [Messages.TimelineEntry] {
        entries.map { Messages.TimelineEntry(at: $0.at, kind: self.timelineKind($0.kind), detail: self.describe($0.kind)) }
    }

    public static func describe(_ kind: FindReviewerDomain.TimelineKind) -> String { ViewTexts.timeline(kind, .en) }

    public static func request(_ view: consuming BusinessRequestView) -> Messages.InfoRequest {
        Messages.InfoRequest(
            id: view.id, businessId: view.businessId, reviewId: view.reviewId, message: view.message,
            requestedFields: self.fields(view.requestedFields), referenceLabel: view.referenceLabel,
            status: self.status(view.status), createdAt: view.createdAt, deadlineAt: view.deadline,
            reminderSentAt: view.automaticReminderAt ?? 0, manualReminderSentAt: view.manualReminderAt ?? 0,
            answeredAt: view.answeredAt ?? 0, openedAt: view.openedAt ?? 0, closedAt: view.closedAt ?? 0,
            replyAvailable: view.replyAvailable, reply: view.reply.map(self.reply), timeline: self.timeline(view.timeline),
            reviewerDisplayName: view.reviewerDisplayName, skipBusinessNotificationEmail: view.skipBusinessNotificationEmail,
            replyRetainedUntil: view.replyRetainedUntil ?? 0, replyErasedAt: view.replyErasedAt ?? 0,
            replyErasureReason: self.erasure(view.replyErasure), notice: view.notice)
    }

    static func erasure(_ erasure: FindReviewerDomain.ReplyErasure?) -> Messages.ReplyErasureReason {
        switch erasure {
        case .retentionPeriod: return .retentionPeriod
        case .reviewerErased: return .reviewerErased
        case nil: return .unspecified
        }
    }

    public static func reviewView(_ view: consuming FindReviewerDomain.BusinessReviewView) -> Messages.BusinessReviewView {
        let summary = view.findReviewer
        return Messages.BusinessReviewView(
            review: self.review(view.review), reviewerDisplayName: view.reviewerDisplayName,
            findReviewer: Messages.FindReviewerSummary(
                eligible: summary.eligible, contacted: summary.contacted, latestRequestId: summary.latestRequestId ?? "",
                latestStatus: summary.latestStatus.map(self.status) ?? .unspecified,
                canReportNotGenuine: summary.canReportNotGenuine, reply: summary.reply.map(self.reply),
                replyErasedAt: summary.replyErasedAt ?? 0, replyErasureReason: self.erasure(summary.replyErasure)),
            reviewerErased: view.reviewerErased)
    }

    public static func publicView(_ view: FindReviewerDomain.PublicReviewView) -> Messages.PublicReviewView {
        Messages.PublicReviewView(
            reviewId: view.reviewId, businessId: view.businessId, businessDisplayName: view.businessDisplayName,
            reviewerDisplayName: view.reviewerDisplayName, rating: Int32(view.rating), title: view.title, text: view.text,
            experienceDate: view.experienceDate, createdAt: view.createdAt, reviewerContacted: view.reviewerContacted,
            publicReply: view.publicReply.map(self.publicReply))
    }

    public static func reviewerView(_ view: FindReviewerDomain.ReviewerRequestView) -> Messages.ReviewerRequestView {
        Messages.ReviewerRequestView(
            requestId: view.requestId, businessDisplayName: view.businessDisplayName, message: view.message,
            requestedFields: self.fields(view.requestedFields), referenceLabel: view.referenceLabel,
            deadlineAt: view.deadline, status: self.status(view.status), reviewTitle: view.reviewTitle,
            businessBlocked: view.businessBlocked, replyRetainedUntil: view.replyRetainedUntil ?? 0,
            replyErasedAt: view.replyErasedAt ?? 0, notice: view.notice)
    }

    public static func report(_ report: FindReviewerDomain.Report) -> Messages.Report {
        Messages.Report(
            id: report.id, businessId: report.businessId, reviewId: report.reviewId, reason: self.reason(report.reason),
            explanation: report.explanation, status: .open, createdAt: report.createdAt)
    }
}
