from findreviewer.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

CONTACT_FILTER_ANY: ContactFilter
CONTACT_FILTER_CONTACTED: ContactFilter
CONTACT_FILTER_NOT_CONTACTED: ContactFilter
DESCRIPTOR: _descriptor.FileDescriptor
PLAN_FREE: Plan
PLAN_PAID: Plan
PLAN_UNSPECIFIED: Plan
REPLY_ERASURE_REASON_RETENTION_PERIOD: ReplyErasureReason
REPLY_ERASURE_REASON_REVIEWER_ERASED: ReplyErasureReason
REPLY_ERASURE_REASON_UNSPECIFIED: ReplyErasureReason
REPORT_REASON_ADVERTISING_OR_PROMOTIONAL: ReportReason
REPORT_REASON_DIFFERENT_BUSINESS: ReportReason
REPORT_REASON_HARMFUL_OR_ILLEGAL: ReportReason
REPORT_REASON_NOT_GENUINE_EXPERIENCE: ReportReason
REPORT_REASON_PERSONAL_INFORMATION: ReportReason
REPORT_REASON_UNSPECIFIED: ReportReason
REPORT_STATUS_OPEN: ReportStatus
REPORT_STATUS_UNSPECIFIED: ReportStatus
REQUESTED_FIELD_EMAIL: RequestedField
REQUESTED_FIELD_FULL_NAME: RequestedField
REQUESTED_FIELD_PHONE: RequestedField
REQUESTED_FIELD_REFERENCE_NUMBER: RequestedField
REQUESTED_FIELD_UNSPECIFIED: RequestedField
REQUEST_STATUS_ANSWERED: RequestStatus
REQUEST_STATUS_DECLINED: RequestStatus
REQUEST_STATUS_EXPIRED: RequestStatus
REQUEST_STATUS_PENDING: RequestStatus
REQUEST_STATUS_UNSPECIFIED: RequestStatus
REQUEST_STATUS_WITHDRAWN: RequestStatus
REVIEW_SOURCE_BUSINESS_INVITATION: ReviewSource
REVIEW_SOURCE_ORGANIC: ReviewSource
REVIEW_SOURCE_PLATFORM_INVITATION: ReviewSource
REVIEW_SOURCE_UNSPECIFIED: ReviewSource
TIMELINE_EVENT_KIND_ANSWERED: TimelineEventKind
TIMELINE_EVENT_KIND_AUTOMATIC_REMINDER_SENT: TimelineEventKind
TIMELINE_EVENT_KIND_CREATED: TimelineEventKind
TIMELINE_EVENT_KIND_DECLINED: TimelineEventKind
TIMELINE_EVENT_KIND_EXPIRED: TimelineEventKind
TIMELINE_EVENT_KIND_MANUAL_REMINDER_SENT: TimelineEventKind
TIMELINE_EVENT_KIND_REPLY_DETAILS_ERASED: TimelineEventKind
TIMELINE_EVENT_KIND_REPLY_OPENED: TimelineEventKind
TIMELINE_EVENT_KIND_REVIEWER_ERASED: TimelineEventKind
TIMELINE_EVENT_KIND_UNSPECIFIED: TimelineEventKind
TIMELINE_EVENT_KIND_WITHDRAWN: TimelineEventKind

class AcknowledgeIntroductionRequest(_message.Message):
    __slots__ = ["business_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    def __init__(self, business_id: _Optional[str] = ...) -> None: ...

class AcknowledgeIntroductionResponse(_message.Message):
    __slots__ = ["business"]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    business: Business
    def __init__(self, business: _Optional[_Union[Business, _Mapping]] = ...) -> None: ...

class BlockBusinessRequest(_message.Message):
    __slots__ = ["token"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class BlockBusinessResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: ReviewerRequestView
    def __init__(self, request: _Optional[_Union[ReviewerRequestView, _Mapping]] = ...) -> None: ...

class BlockedBusiness(_message.Message):
    __slots__ = ["blocked_at", "business_display_name", "business_id"]
    BLOCKED_AT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    blocked_at: int
    business_display_name: str
    business_id: str
    def __init__(self, business_id: _Optional[str] = ..., business_display_name: _Optional[str] = ..., blocked_at: _Optional[int] = ...) -> None: ...

class Business(_message.Message):
    __slots__ = ["display_name", "id", "intro_acknowledged", "intro_acknowledged_at", "locale", "notification_email", "plan"]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INTRO_ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    INTRO_ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATION_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    id: str
    intro_acknowledged: bool
    intro_acknowledged_at: int
    locale: str
    notification_email: str
    plan: Plan
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., notification_email: _Optional[str] = ..., locale: _Optional[str] = ..., plan: _Optional[_Union[Plan, str]] = ..., intro_acknowledged: bool = ..., intro_acknowledged_at: _Optional[int] = ...) -> None: ...

class BusinessReviewView(_message.Message):
    __slots__ = ["find_reviewer", "review", "reviewer_display_name", "reviewer_erased"]
    FIND_REVIEWER_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ERASED_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    find_reviewer: FindReviewerSummary
    review: Review
    reviewer_display_name: str
    reviewer_erased: bool
    def __init__(self, review: _Optional[_Union[Review, _Mapping]] = ..., reviewer_display_name: _Optional[str] = ..., find_reviewer: _Optional[_Union[FindReviewerSummary, _Mapping]] = ..., reviewer_erased: bool = ...) -> None: ...

class CreateInfoRequestRequest(_message.Message):
    __slots__ = ["acknowledge_intro", "business_id", "message", "reference_label", "requested_fields", "review_id", "skip_business_notification_email"]
    ACKNOWLEDGE_INTRO_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_LABEL_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    SKIP_BUSINESS_NOTIFICATION_EMAIL_FIELD_NUMBER: _ClassVar[int]
    acknowledge_intro: bool
    business_id: str
    message: str
    reference_label: str
    requested_fields: _containers.RepeatedScalarFieldContainer[RequestedField]
    review_id: str
    skip_business_notification_email: bool
    def __init__(self, business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., message: _Optional[str] = ..., requested_fields: _Optional[_Iterable[_Union[RequestedField, str]]] = ..., reference_label: _Optional[str] = ..., acknowledge_intro: bool = ..., skip_business_notification_email: bool = ...) -> None: ...

class CreateInfoRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: InfoRequest
    def __init__(self, request: _Optional[_Union[InfoRequest, _Mapping]] = ...) -> None: ...

class CreateReportRequest(_message.Message):
    __slots__ = ["acknowledge_guidelines", "business_id", "explanation", "reason", "review_id"]
    ACKNOWLEDGE_GUIDELINES_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    acknowledge_guidelines: bool
    business_id: str
    explanation: str
    reason: ReportReason
    review_id: str
    def __init__(self, business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., reason: _Optional[_Union[ReportReason, str]] = ..., explanation: _Optional[str] = ..., acknowledge_guidelines: bool = ...) -> None: ...

class CreateReportResponse(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: Report
    def __init__(self, report: _Optional[_Union[Report, _Mapping]] = ...) -> None: ...

class DeclineRequestRequest(_message.Message):
    __slots__ = ["token"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class DeclineRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: ReviewerRequestView
    def __init__(self, request: _Optional[_Union[ReviewerRequestView, _Mapping]] = ...) -> None: ...

class DeletePublicReplyRequest(_message.Message):
    __slots__ = ["business_id", "review_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    review_id: str
    def __init__(self, business_id: _Optional[str] = ..., review_id: _Optional[str] = ...) -> None: ...

class DeletePublicReplyResponse(_message.Message):
    __slots__ = ["review"]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    review: Review
    def __init__(self, review: _Optional[_Union[Review, _Mapping]] = ...) -> None: ...

class EraseReviewerRequest(_message.Message):
    __slots__ = ["reviewer_id"]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    reviewer_id: str
    def __init__(self, reviewer_id: _Optional[str] = ...) -> None: ...

class EraseReviewerResponse(_message.Message):
    __slots__ = ["emails_cancelled", "requests", "reviewer", "reviews"]
    EMAILS_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    REVIEWS_FIELD_NUMBER: _ClassVar[int]
    emails_cancelled: int
    requests: int
    reviewer: Reviewer
    reviews: int
    def __init__(self, reviewer: _Optional[_Union[Reviewer, _Mapping]] = ..., reviews: _Optional[int] = ..., requests: _Optional[int] = ..., emails_cancelled: _Optional[int] = ...) -> None: ...

class FindReviewerSummary(_message.Message):
    __slots__ = ["can_report_not_genuine", "contacted", "eligible", "latest_request_id", "latest_status", "reply", "reply_erased_at", "reply_erasure_reason"]
    CAN_REPORT_NOT_GENUINE_FIELD_NUMBER: _ClassVar[int]
    CONTACTED_FIELD_NUMBER: _ClassVar[int]
    ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    LATEST_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    LATEST_STATUS_FIELD_NUMBER: _ClassVar[int]
    REPLY_ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_ERASURE_REASON_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    can_report_not_genuine: bool
    contacted: bool
    eligible: bool
    latest_request_id: str
    latest_status: RequestStatus
    reply: ReviewerReply
    reply_erased_at: int
    reply_erasure_reason: ReplyErasureReason
    def __init__(self, eligible: bool = ..., contacted: bool = ..., latest_request_id: _Optional[str] = ..., latest_status: _Optional[_Union[RequestStatus, str]] = ..., can_report_not_genuine: bool = ..., reply: _Optional[_Union[ReviewerReply, _Mapping]] = ..., reply_erased_at: _Optional[int] = ..., reply_erasure_reason: _Optional[_Union[ReplyErasureReason, str]] = ...) -> None: ...

class GetBusinessRequest(_message.Message):
    __slots__ = ["business_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    def __init__(self, business_id: _Optional[str] = ...) -> None: ...

class GetBusinessResponse(_message.Message):
    __slots__ = ["business"]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    business: Business
    def __init__(self, business: _Optional[_Union[Business, _Mapping]] = ...) -> None: ...

class GetInfoRequestRequest(_message.Message):
    __slots__ = ["business_id", "request_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    request_id: str
    def __init__(self, business_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class GetInfoRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: InfoRequest
    def __init__(self, request: _Optional[_Union[InfoRequest, _Mapping]] = ...) -> None: ...

class GetIntroductionRequest(_message.Message):
    __slots__ = ["business_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    def __init__(self, business_id: _Optional[str] = ...) -> None: ...

class GetIntroductionResponse(_message.Message):
    __slots__ = ["acknowledged", "acknowledged_at", "text"]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    acknowledged: bool
    acknowledged_at: int
    text: str
    def __init__(self, acknowledged: bool = ..., acknowledged_at: _Optional[int] = ..., text: _Optional[str] = ...) -> None: ...

class GetPublicReviewRequest(_message.Message):
    __slots__ = ["review_id"]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    review_id: str
    def __init__(self, review_id: _Optional[str] = ...) -> None: ...

class GetPublicReviewResponse(_message.Message):
    __slots__ = ["review"]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    review: PublicReviewView
    def __init__(self, review: _Optional[_Union[PublicReviewView, _Mapping]] = ...) -> None: ...

class GetReviewRequest(_message.Message):
    __slots__ = ["business_id", "review_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    review_id: str
    def __init__(self, business_id: _Optional[str] = ..., review_id: _Optional[str] = ...) -> None: ...

class GetReviewResponse(_message.Message):
    __slots__ = ["view"]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    view: BusinessReviewView
    def __init__(self, view: _Optional[_Union[BusinessReviewView, _Mapping]] = ...) -> None: ...

class GetReviewerRequest(_message.Message):
    __slots__ = ["reviewer_id"]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    reviewer_id: str
    def __init__(self, reviewer_id: _Optional[str] = ...) -> None: ...

class GetReviewerResponse(_message.Message):
    __slots__ = ["reviewer"]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    reviewer: Reviewer
    def __init__(self, reviewer: _Optional[_Union[Reviewer, _Mapping]] = ...) -> None: ...

class GetTimelineRequest(_message.Message):
    __slots__ = ["business_id", "request_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    request_id: str
    def __init__(self, business_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class GetTimelineResponse(_message.Message):
    __slots__ = ["entries"]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[TimelineEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[TimelineEntry, _Mapping]]] = ...) -> None: ...

class InfoRequest(_message.Message):
    __slots__ = ["answered_at", "business_id", "closed_at", "created_at", "deadline_at", "id", "manual_reminder_sent_at", "message", "notice", "opened_at", "reference_label", "reminder_sent_at", "reply", "reply_available", "reply_erased_at", "reply_erasure_reason", "reply_retained_until", "requested_fields", "review_id", "reviewer_display_name", "skip_business_notification_email", "status", "timeline"]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MANUAL_REMINDER_SENT_AT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    NOTICE_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_LABEL_FIELD_NUMBER: _ClassVar[int]
    REMINDER_SENT_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    REPLY_ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_ERASURE_REASON_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    REPLY_RETAINED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    SKIP_BUSINESS_NOTIFICATION_EMAIL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TIMELINE_FIELD_NUMBER: _ClassVar[int]
    answered_at: int
    business_id: str
    closed_at: int
    created_at: int
    deadline_at: int
    id: str
    manual_reminder_sent_at: int
    message: str
    notice: str
    opened_at: int
    reference_label: str
    reminder_sent_at: int
    reply: ReviewerReply
    reply_available: bool
    reply_erased_at: int
    reply_erasure_reason: ReplyErasureReason
    reply_retained_until: int
    requested_fields: _containers.RepeatedScalarFieldContainer[RequestedField]
    review_id: str
    reviewer_display_name: str
    skip_business_notification_email: bool
    status: RequestStatus
    timeline: _containers.RepeatedCompositeFieldContainer[TimelineEntry]
    def __init__(self, id: _Optional[str] = ..., business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., message: _Optional[str] = ..., requested_fields: _Optional[_Iterable[_Union[RequestedField, str]]] = ..., reference_label: _Optional[str] = ..., status: _Optional[_Union[RequestStatus, str]] = ..., created_at: _Optional[int] = ..., deadline_at: _Optional[int] = ..., reminder_sent_at: _Optional[int] = ..., manual_reminder_sent_at: _Optional[int] = ..., answered_at: _Optional[int] = ..., opened_at: _Optional[int] = ..., closed_at: _Optional[int] = ..., reply_available: bool = ..., reply: _Optional[_Union[ReviewerReply, _Mapping]] = ..., timeline: _Optional[_Iterable[_Union[TimelineEntry, _Mapping]]] = ..., reviewer_display_name: _Optional[str] = ..., skip_business_notification_email: bool = ..., reply_retained_until: _Optional[int] = ..., reply_erased_at: _Optional[int] = ..., reply_erasure_reason: _Optional[_Union[ReplyErasureReason, str]] = ..., notice: _Optional[str] = ...) -> None: ...

class ListBusinessesRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBusinessesResponse(_message.Message):
    __slots__ = ["businesses", "next_page_token"]
    BUSINESSES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    businesses: _containers.RepeatedCompositeFieldContainer[Business]
    next_page_token: str
    def __init__(self, businesses: _Optional[_Iterable[_Union[Business, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListInfoRequestsRequest(_message.Message):
    __slots__ = ["business_id", "page_size", "page_token", "review_id", "statuses"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    page_size: int
    page_token: str
    review_id: str
    statuses: _containers.RepeatedScalarFieldContainer[RequestStatus]
    def __init__(self, business_id: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[RequestStatus, str]]] = ..., review_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInfoRequestsResponse(_message.Message):
    __slots__ = ["counts", "next_page_token", "requests", "total_matching"]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_MATCHING_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.RepeatedCompositeFieldContainer[StatusCount]
    next_page_token: str
    requests: _containers.RepeatedCompositeFieldContainer[InfoRequest]
    total_matching: int
    def __init__(self, requests: _Optional[_Iterable[_Union[InfoRequest, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., counts: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ..., total_matching: _Optional[int] = ...) -> None: ...

class ListReportsRequest(_message.Message):
    __slots__ = ["business_id", "page_size", "page_token", "review_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    page_size: int
    page_token: str
    review_id: str
    def __init__(self, business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReportsResponse(_message.Message):
    __slots__ = ["next_page_token", "reports"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    reports: _containers.RepeatedCompositeFieldContainer[Report]
    def __init__(self, reports: _Optional[_Iterable[_Union[Report, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListReviewerBlocksRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "reviewer_id"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    reviewer_id: str
    def __init__(self, reviewer_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReviewerBlocksResponse(_message.Message):
    __slots__ = ["blocks", "next_page_token"]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    blocks: _containers.RepeatedCompositeFieldContainer[BlockedBusiness]
    next_page_token: str
    def __init__(self, blocks: _Optional[_Iterable[_Union[BlockedBusiness, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListReviewsRequest(_message.Message):
    __slots__ = ["business_id", "contact_filter", "eligible_only", "page_size", "page_token", "statuses"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FILTER_FIELD_NUMBER: _ClassVar[int]
    ELIGIBLE_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    contact_filter: ContactFilter
    eligible_only: bool
    page_size: int
    page_token: str
    statuses: _containers.RepeatedScalarFieldContainer[RequestStatus]
    def __init__(self, business_id: _Optional[str] = ..., contact_filter: _Optional[_Union[ContactFilter, str]] = ..., statuses: _Optional[_Iterable[_Union[RequestStatus, str]]] = ..., eligible_only: bool = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReviewsResponse(_message.Message):
    __slots__ = ["next_page_token", "reviews"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REVIEWS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    reviews: _containers.RepeatedCompositeFieldContainer[BusinessReviewView]
    def __init__(self, reviews: _Optional[_Iterable[_Union[BusinessReviewView, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class OpenReplyRequest(_message.Message):
    __slots__ = ["business_id", "request_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    request_id: str
    def __init__(self, business_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class OpenReplyResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: InfoRequest
    def __init__(self, request: _Optional[_Union[InfoRequest, _Mapping]] = ...) -> None: ...

class PublicReply(_message.Message):
    __slots__ = ["created_at", "text", "updated_at"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    created_at: int
    text: str
    updated_at: int
    def __init__(self, text: _Optional[str] = ..., created_at: _Optional[int] = ..., updated_at: _Optional[int] = ...) -> None: ...

class PublicReviewView(_message.Message):
    __slots__ = ["business_display_name", "business_id", "created_at", "experience_date", "public_reply", "rating", "review_id", "reviewer_contacted", "reviewer_display_name", "text", "title"]
    BUSINESS_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPERIENCE_DATE_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_REPLY_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_CONTACTED_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    business_display_name: str
    business_id: str
    created_at: int
    experience_date: str
    public_reply: PublicReply
    rating: int
    review_id: str
    reviewer_contacted: bool
    reviewer_display_name: str
    text: str
    title: str
    def __init__(self, review_id: _Optional[str] = ..., business_id: _Optional[str] = ..., business_display_name: _Optional[str] = ..., reviewer_display_name: _Optional[str] = ..., rating: _Optional[int] = ..., title: _Optional[str] = ..., text: _Optional[str] = ..., experience_date: _Optional[str] = ..., created_at: _Optional[int] = ..., reviewer_contacted: bool = ..., public_reply: _Optional[_Union[PublicReply, _Mapping]] = ...) -> None: ...

class PublishReviewRequest(_message.Message):
    __slots__ = ["review"]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    review: Review
    def __init__(self, review: _Optional[_Union[Review, _Mapping]] = ...) -> None: ...

class PublishReviewResponse(_message.Message):
    __slots__ = ["created", "review"]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    created: bool
    review: Review
    def __init__(self, review: _Optional[_Union[Review, _Mapping]] = ..., created: bool = ...) -> None: ...

class ReplyToRequestRequest(_message.Message):
    __slots__ = ["email", "full_name", "note", "phone", "reference_number", "token"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    email: str
    full_name: str
    note: str
    phone: str
    reference_number: str
    token: str
    def __init__(self, token: _Optional[str] = ..., email: _Optional[str] = ..., reference_number: _Optional[str] = ..., full_name: _Optional[str] = ..., phone: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ReplyToRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: ReviewerRequestView
    def __init__(self, request: _Optional[_Union[ReviewerRequestView, _Mapping]] = ...) -> None: ...

class Report(_message.Message):
    __slots__ = ["business_id", "created_at", "explanation", "id", "reason", "review_id", "status"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    created_at: int
    explanation: str
    id: str
    reason: ReportReason
    review_id: str
    status: ReportStatus
    def __init__(self, id: _Optional[str] = ..., business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., reason: _Optional[_Union[ReportReason, str]] = ..., explanation: _Optional[str] = ..., status: _Optional[_Union[ReportStatus, str]] = ..., created_at: _Optional[int] = ...) -> None: ...

class Review(_message.Message):
    __slots__ = ["business_id", "created_at", "experience_date", "id", "public_reply", "rating", "reviewer_id", "source", "text", "title"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPERIENCE_DATE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_REPLY_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    created_at: int
    experience_date: str
    id: str
    public_reply: PublicReply
    rating: int
    reviewer_id: str
    source: ReviewSource
    text: str
    title: str
    def __init__(self, id: _Optional[str] = ..., business_id: _Optional[str] = ..., reviewer_id: _Optional[str] = ..., rating: _Optional[int] = ..., title: _Optional[str] = ..., text: _Optional[str] = ..., experience_date: _Optional[str] = ..., created_at: _Optional[int] = ..., source: _Optional[_Union[ReviewSource, str]] = ..., public_reply: _Optional[_Union[PublicReply, _Mapping]] = ...) -> None: ...

class Reviewer(_message.Message):
    __slots__ = ["display_name", "email", "erased_at", "id", "locale"]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    email: str
    erased_at: int
    id: str
    locale: str
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., email: _Optional[str] = ..., locale: _Optional[str] = ..., erased_at: _Optional[int] = ...) -> None: ...

class ReviewerReply(_message.Message):
    __slots__ = ["email", "full_name", "note", "phone", "reference_number", "replied_at"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REPLIED_AT_FIELD_NUMBER: _ClassVar[int]
    email: str
    full_name: str
    note: str
    phone: str
    reference_number: str
    replied_at: int
    def __init__(self, email: _Optional[str] = ..., reference_number: _Optional[str] = ..., full_name: _Optional[str] = ..., phone: _Optional[str] = ..., note: _Optional[str] = ..., replied_at: _Optional[int] = ...) -> None: ...

class ReviewerRequestView(_message.Message):
    __slots__ = ["business_blocked", "business_display_name", "deadline_at", "message", "notice", "reference_label", "reply_erased_at", "reply_retained_until", "request_id", "requested_fields", "review_title", "status"]
    BUSINESS_BLOCKED_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_AT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    NOTICE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_LABEL_FIELD_NUMBER: _ClassVar[int]
    REPLY_ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_RETAINED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_TITLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    business_blocked: bool
    business_display_name: str
    deadline_at: int
    message: str
    notice: str
    reference_label: str
    reply_erased_at: int
    reply_retained_until: int
    request_id: str
    requested_fields: _containers.RepeatedScalarFieldContainer[RequestedField]
    review_title: str
    status: RequestStatus
    def __init__(self, request_id: _Optional[str] = ..., business_display_name: _Optional[str] = ..., message: _Optional[str] = ..., requested_fields: _Optional[_Iterable[_Union[RequestedField, str]]] = ..., reference_label: _Optional[str] = ..., deadline_at: _Optional[int] = ..., status: _Optional[_Union[RequestStatus, str]] = ..., review_title: _Optional[str] = ..., business_blocked: bool = ..., reply_retained_until: _Optional[int] = ..., reply_erased_at: _Optional[int] = ..., notice: _Optional[str] = ...) -> None: ...

class SendManualReminderRequest(_message.Message):
    __slots__ = ["business_id", "request_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    request_id: str
    def __init__(self, business_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class SendManualReminderResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: InfoRequest
    def __init__(self, request: _Optional[_Union[InfoRequest, _Mapping]] = ...) -> None: ...

class SetPublicReplyRequest(_message.Message):
    __slots__ = ["business_id", "review_id", "text"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    review_id: str
    text: str
    def __init__(self, business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class SetPublicReplyResponse(_message.Message):
    __slots__ = ["review"]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    review: Review
    def __init__(self, review: _Optional[_Union[Review, _Mapping]] = ...) -> None: ...

class StatusCount(_message.Message):
    __slots__ = ["count", "status"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    count: int
    status: RequestStatus
    def __init__(self, status: _Optional[_Union[RequestStatus, str]] = ..., count: _Optional[int] = ...) -> None: ...

class TimelineEntry(_message.Message):
    __slots__ = ["at", "detail", "kind"]
    AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    at: int
    detail: str
    kind: TimelineEventKind
    def __init__(self, at: _Optional[int] = ..., kind: _Optional[_Union[TimelineEventKind, str]] = ..., detail: _Optional[str] = ...) -> None: ...

class UnblockBusinessForReviewerRequest(_message.Message):
    __slots__ = ["business_id", "reviewer_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    reviewer_id: str
    def __init__(self, business_id: _Optional[str] = ..., reviewer_id: _Optional[str] = ...) -> None: ...

class UnblockBusinessForReviewerResponse(_message.Message):
    __slots__ = ["was_blocked"]
    WAS_BLOCKED_FIELD_NUMBER: _ClassVar[int]
    was_blocked: bool
    def __init__(self, was_blocked: bool = ...) -> None: ...

class UnblockBusinessRequest(_message.Message):
    __slots__ = ["token"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class UnblockBusinessResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: ReviewerRequestView
    def __init__(self, request: _Optional[_Union[ReviewerRequestView, _Mapping]] = ...) -> None: ...

class UpsertBusinessRequest(_message.Message):
    __slots__ = ["business"]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    business: Business
    def __init__(self, business: _Optional[_Union[Business, _Mapping]] = ...) -> None: ...

class UpsertBusinessResponse(_message.Message):
    __slots__ = ["business", "created"]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    business: Business
    created: bool
    def __init__(self, business: _Optional[_Union[Business, _Mapping]] = ..., created: bool = ...) -> None: ...

class UpsertReviewerRequest(_message.Message):
    __slots__ = ["reviewer"]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    reviewer: Reviewer
    def __init__(self, reviewer: _Optional[_Union[Reviewer, _Mapping]] = ...) -> None: ...

class UpsertReviewerResponse(_message.Message):
    __slots__ = ["created", "reviewer"]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    created: bool
    reviewer: Reviewer
    def __init__(self, reviewer: _Optional[_Union[Reviewer, _Mapping]] = ..., created: bool = ...) -> None: ...

class ViewRequestByTokenRequest(_message.Message):
    __slots__ = ["token"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class ViewRequestByTokenResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: ReviewerRequestView
    def __init__(self, request: _Optional[_Union[ReviewerRequestView, _Mapping]] = ...) -> None: ...

class WithdrawInfoRequestRequest(_message.Message):
    __slots__ = ["business_id", "request_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    request_id: str
    def __init__(self, business_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class WithdrawInfoRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: InfoRequest
    def __init__(self, request: _Optional[_Union[InfoRequest, _Mapping]] = ...) -> None: ...

class Plan(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReviewSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RequestedField(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RequestStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class TimelineEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReplyErasureReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReportReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReportStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ContactFilter(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
