from findreviewer.v1 import findreviewer_pb2 as _findreviewer_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
STORED_EVENT_KIND_AUTOMATIC_REMINDER_SENT: StoredEventKind
STORED_EVENT_KIND_BUSINESS_BLOCKED: StoredEventKind
STORED_EVENT_KIND_BUSINESS_FORGOTTEN: StoredEventKind
STORED_EVENT_KIND_BUSINESS_IMPORTED: StoredEventKind
STORED_EVENT_KIND_BUSINESS_MARKED_MOVING: StoredEventKind
STORED_EVENT_KIND_BUSINESS_UNBLOCKED: StoredEventKind
STORED_EVENT_KIND_BUSINESS_UPSERTED: StoredEventKind
STORED_EVENT_KIND_INTRODUCTION_ACKNOWLEDGED: StoredEventKind
STORED_EVENT_KIND_MANUAL_REMINDER_SENT: StoredEventKind
STORED_EVENT_KIND_OUTBOX_DELIVERED: StoredEventKind
STORED_EVENT_KIND_PUBLIC_REPLY_DELETED: StoredEventKind
STORED_EVENT_KIND_PUBLIC_REPLY_SET: StoredEventKind
STORED_EVENT_KIND_REPLY_DETAILS_ERASED: StoredEventKind
STORED_EVENT_KIND_REPLY_OPENED: StoredEventKind
STORED_EVENT_KIND_REPORT_CREATED: StoredEventKind
STORED_EVENT_KIND_REQUEST_ANSWERED: StoredEventKind
STORED_EVENT_KIND_REQUEST_CREATED: StoredEventKind
STORED_EVENT_KIND_REQUEST_DECLINED: StoredEventKind
STORED_EVENT_KIND_REQUEST_EXPIRED: StoredEventKind
STORED_EVENT_KIND_REQUEST_WITHDRAWN: StoredEventKind
STORED_EVENT_KIND_REVIEWER_ERASED: StoredEventKind
STORED_EVENT_KIND_REVIEWER_UPSERTED: StoredEventKind
STORED_EVENT_KIND_REVIEW_PUBLISHED: StoredEventKind
STORED_EVENT_KIND_UNSPECIFIED: StoredEventKind
STORED_NOTIFICATION_KIND_AUTOMATIC_REMINDER: StoredNotificationKind
STORED_NOTIFICATION_KIND_BUSINESS_BLOCKED: StoredNotificationKind
STORED_NOTIFICATION_KIND_BUSINESS_UNBLOCKED: StoredNotificationKind
STORED_NOTIFICATION_KIND_DECLINED: StoredNotificationKind
STORED_NOTIFICATION_KIND_EXPIRED: StoredNotificationKind
STORED_NOTIFICATION_KIND_MANUAL_REMINDER: StoredNotificationKind
STORED_NOTIFICATION_KIND_REPLY_RECEIVED: StoredNotificationKind
STORED_NOTIFICATION_KIND_REQUEST_TO_REVIEWER: StoredNotificationKind
STORED_NOTIFICATION_KIND_UNSPECIFIED: StoredNotificationKind

class BusinessExport(_message.Message):
    __slots__ = ["business_id", "exported_at", "items", "source_shard", "version"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SHARD_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    exported_at: int
    items: _containers.RepeatedCompositeFieldContainer[SnapshotItem]
    source_shard: str
    version: int
    def __init__(self, version: _Optional[int] = ..., business_id: _Optional[str] = ..., source_shard: _Optional[str] = ..., exported_at: _Optional[int] = ..., items: _Optional[_Iterable[_Union[SnapshotItem, _Mapping]]] = ...) -> None: ...

class SnapshotCounters(_message.Message):
    __slots__ = ["outbox", "reports", "requests"]
    OUTBOX_FIELD_NUMBER: _ClassVar[int]
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    outbox: int
    reports: int
    requests: int
    def __init__(self, requests: _Optional[int] = ..., reports: _Optional[int] = ..., outbox: _Optional[int] = ...) -> None: ...

class SnapshotItem(_message.Message):
    __slots__ = ["block", "business", "counters", "outbox", "report", "request", "review", "reviewer"]
    BLOCK_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    block: StoredBlock
    business: StoredBusiness
    counters: SnapshotCounters
    outbox: StoredOutboxEntry
    report: StoredReport
    request: StoredRequest
    review: StoredReview
    reviewer: StoredReviewer
    def __init__(self, business: _Optional[_Union[StoredBusiness, _Mapping]] = ..., reviewer: _Optional[_Union[StoredReviewer, _Mapping]] = ..., review: _Optional[_Union[StoredReview, _Mapping]] = ..., request: _Optional[_Union[StoredRequest, _Mapping]] = ..., report: _Optional[_Union[StoredReport, _Mapping]] = ..., outbox: _Optional[_Union[StoredOutboxEntry, _Mapping]] = ..., counters: _Optional[_Union[SnapshotCounters, _Mapping]] = ..., block: _Optional[_Union[StoredBlock, _Mapping]] = ...) -> None: ...

class StoredBlock(_message.Message):
    __slots__ = ["blocked_at", "business_id", "request_id", "reviewer_id"]
    BLOCKED_AT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    blocked_at: int
    business_id: str
    request_id: str
    reviewer_id: str
    def __init__(self, reviewer_id: _Optional[str] = ..., business_id: _Optional[str] = ..., blocked_at: _Optional[int] = ..., request_id: _Optional[str] = ...) -> None: ...

class StoredBusiness(_message.Message):
    __slots__ = ["display_name", "id", "intro_acknowledged_at", "locale", "moving_since", "notification_email", "plan"]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INTRO_ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    MOVING_SINCE_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATION_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    id: str
    intro_acknowledged_at: int
    locale: str
    moving_since: int
    notification_email: str
    plan: _findreviewer_pb2.Plan
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., notification_email: _Optional[str] = ..., locale: _Optional[str] = ..., plan: _Optional[_Union[_findreviewer_pb2.Plan, str]] = ..., intro_acknowledged_at: _Optional[int] = ..., moving_since: _Optional[int] = ...) -> None: ...

class StoredBusinessBlocked(_message.Message):
    __slots__ = ["block", "outbox_id"]
    BLOCK_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    block: StoredBlock
    outbox_id: str
    def __init__(self, block: _Optional[_Union[StoredBlock, _Mapping]] = ..., outbox_id: _Optional[str] = ...) -> None: ...

class StoredBusinessEvent(_message.Message):
    __slots__ = ["at", "business_id"]
    AT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    at: int
    business_id: str
    def __init__(self, business_id: _Optional[str] = ..., at: _Optional[int] = ...) -> None: ...

class StoredBusinessImported(_message.Message):
    __slots__ = ["items"]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[SnapshotItem]
    def __init__(self, items: _Optional[_Iterable[_Union[SnapshotItem, _Mapping]]] = ...) -> None: ...

class StoredBusinessUnblocked(_message.Message):
    __slots__ = ["at", "business_id", "outbox_id", "request_id", "reviewer_id"]
    AT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    at: int
    business_id: str
    outbox_id: str
    request_id: str
    reviewer_id: str
    def __init__(self, reviewer_id: _Optional[str] = ..., business_id: _Optional[str] = ..., at: _Optional[int] = ..., request_id: _Optional[str] = ..., outbox_id: _Optional[str] = ...) -> None: ...

class StoredEvent(_message.Message):
    __slots__ = ["automatic_reminder_sent", "business_blocked", "business_forgotten", "business_imported", "business_marked_moving", "business_unblocked", "business_upserted", "introduction_acknowledged", "manual_reminder_sent", "outbox_delivered", "public_reply_deleted", "public_reply_set", "reply_details_erased", "reply_opened", "report_created", "request_answered", "request_created", "request_declined", "request_expired", "request_withdrawn", "review_published", "reviewer_erased", "reviewer_upserted"]
    AUTOMATIC_REMINDER_SENT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_BLOCKED_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_FORGOTTEN_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_IMPORTED_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_MARKED_MOVING_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_UNBLOCKED_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_UPSERTED_FIELD_NUMBER: _ClassVar[int]
    INTRODUCTION_ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    MANUAL_REMINDER_SENT_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_REPLY_DELETED_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_REPLY_SET_FIELD_NUMBER: _ClassVar[int]
    REPLY_DETAILS_ERASED_FIELD_NUMBER: _ClassVar[int]
    REPLY_OPENED_FIELD_NUMBER: _ClassVar[int]
    REPORT_CREATED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ANSWERED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_CREATED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_DECLINED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_EXPIRED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_WITHDRAWN_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ERASED_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_UPSERTED_FIELD_NUMBER: _ClassVar[int]
    REVIEW_PUBLISHED_FIELD_NUMBER: _ClassVar[int]
    automatic_reminder_sent: StoredRequestTransition
    business_blocked: StoredBusinessBlocked
    business_forgotten: StoredBusinessEvent
    business_imported: StoredBusinessImported
    business_marked_moving: StoredBusinessEvent
    business_unblocked: StoredBusinessUnblocked
    business_upserted: StoredBusiness
    introduction_acknowledged: StoredBusinessEvent
    manual_reminder_sent: StoredManualReminderSent
    outbox_delivered: StoredOutboxDelivered
    public_reply_deleted: StoredPublicReplyDeleted
    public_reply_set: StoredPublicReplySet
    reply_details_erased: StoredRequestTransition
    reply_opened: StoredRequestTransition
    report_created: StoredReport
    request_answered: StoredRequestAnswered
    request_created: StoredRequestCreated
    request_declined: StoredRequestTransition
    request_expired: StoredRequestTransition
    request_withdrawn: StoredRequestTransition
    review_published: StoredReview
    reviewer_erased: StoredReviewerErased
    reviewer_upserted: StoredReviewer
    def __init__(self, business_upserted: _Optional[_Union[StoredBusiness, _Mapping]] = ..., reviewer_upserted: _Optional[_Union[StoredReviewer, _Mapping]] = ..., review_published: _Optional[_Union[StoredReview, _Mapping]] = ..., introduction_acknowledged: _Optional[_Union[StoredBusinessEvent, _Mapping]] = ..., request_created: _Optional[_Union[StoredRequestCreated, _Mapping]] = ..., automatic_reminder_sent: _Optional[_Union[StoredRequestTransition, _Mapping]] = ..., manual_reminder_sent: _Optional[_Union[StoredManualReminderSent, _Mapping]] = ..., request_answered: _Optional[_Union[StoredRequestAnswered, _Mapping]] = ..., reply_opened: _Optional[_Union[StoredRequestTransition, _Mapping]] = ..., request_declined: _Optional[_Union[StoredRequestTransition, _Mapping]] = ..., request_withdrawn: _Optional[_Union[StoredRequestTransition, _Mapping]] = ..., request_expired: _Optional[_Union[StoredRequestTransition, _Mapping]] = ..., public_reply_set: _Optional[_Union[StoredPublicReplySet, _Mapping]] = ..., public_reply_deleted: _Optional[_Union[StoredPublicReplyDeleted, _Mapping]] = ..., report_created: _Optional[_Union[StoredReport, _Mapping]] = ..., outbox_delivered: _Optional[_Union[StoredOutboxDelivered, _Mapping]] = ..., business_blocked: _Optional[_Union[StoredBusinessBlocked, _Mapping]] = ..., business_unblocked: _Optional[_Union[StoredBusinessUnblocked, _Mapping]] = ..., reply_details_erased: _Optional[_Union[StoredRequestTransition, _Mapping]] = ..., reviewer_erased: _Optional[_Union[StoredReviewerErased, _Mapping]] = ..., business_marked_moving: _Optional[_Union[StoredBusinessEvent, _Mapping]] = ..., business_imported: _Optional[_Union[StoredBusinessImported, _Mapping]] = ..., business_forgotten: _Optional[_Union[StoredBusinessEvent, _Mapping]] = ...) -> None: ...

class StoredEventV1(_message.Message):
    __slots__ = ["at", "block", "business", "business_id", "created", "deadline", "items", "kind", "outbox_id", "reply", "report", "request_id", "review", "review_id", "review_ids", "reviewer", "reviewer_id", "text"]
    AT_FIELD_NUMBER: _ClassVar[int]
    BLOCK_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    REVIEW_IDS_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    at: int
    block: StoredBlock
    business: StoredBusiness
    business_id: str
    created: StoredRequestCreated
    deadline: int
    items: _containers.RepeatedCompositeFieldContainer[SnapshotItem]
    kind: StoredEventKind
    outbox_id: str
    reply: StoredReply
    report: StoredReport
    request_id: str
    review: StoredReview
    review_id: str
    review_ids: _containers.RepeatedScalarFieldContainer[str]
    reviewer: StoredReviewer
    reviewer_id: str
    text: str
    def __init__(self, kind: _Optional[_Union[StoredEventKind, str]] = ..., business: _Optional[_Union[StoredBusiness, _Mapping]] = ..., reviewer: _Optional[_Union[StoredReviewer, _Mapping]] = ..., review: _Optional[_Union[StoredReview, _Mapping]] = ..., created: _Optional[_Union[StoredRequestCreated, _Mapping]] = ..., reply: _Optional[_Union[StoredReply, _Mapping]] = ..., report: _Optional[_Union[StoredReport, _Mapping]] = ..., business_id: _Optional[str] = ..., request_id: _Optional[str] = ..., review_id: _Optional[str] = ..., outbox_id: _Optional[str] = ..., at: _Optional[int] = ..., deadline: _Optional[int] = ..., text: _Optional[str] = ..., block: _Optional[_Union[StoredBlock, _Mapping]] = ..., reviewer_id: _Optional[str] = ..., review_ids: _Optional[_Iterable[str]] = ..., items: _Optional[_Iterable[_Union[SnapshotItem, _Mapping]]] = ...) -> None: ...

class StoredManualReminderSent(_message.Message):
    __slots__ = ["at", "deadline", "outbox_id", "request_id"]
    AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    at: int
    deadline: int
    outbox_id: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., at: _Optional[int] = ..., deadline: _Optional[int] = ..., outbox_id: _Optional[str] = ...) -> None: ...

class StoredOutboxDelivered(_message.Message):
    __slots__ = ["at", "outbox_id"]
    AT_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    at: int
    outbox_id: str
    def __init__(self, outbox_id: _Optional[str] = ..., at: _Optional[int] = ...) -> None: ...

class StoredOutboxEntry(_message.Message):
    __slots__ = ["cancelled_at", "created_at", "delivered_at", "id", "kind", "request_id"]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    cancelled_at: int
    created_at: int
    delivered_at: int
    id: str
    kind: StoredNotificationKind
    request_id: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[StoredNotificationKind, str]] = ..., request_id: _Optional[str] = ..., created_at: _Optional[int] = ..., delivered_at: _Optional[int] = ..., cancelled_at: _Optional[int] = ...) -> None: ...

class StoredPublicReply(_message.Message):
    __slots__ = ["created_at", "text", "updated_at"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    created_at: int
    text: str
    updated_at: int
    def __init__(self, text: _Optional[str] = ..., created_at: _Optional[int] = ..., updated_at: _Optional[int] = ...) -> None: ...

class StoredPublicReplyDeleted(_message.Message):
    __slots__ = ["review_id"]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    review_id: str
    def __init__(self, review_id: _Optional[str] = ...) -> None: ...

class StoredPublicReplySet(_message.Message):
    __slots__ = ["at", "review_id", "text"]
    AT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    at: int
    review_id: str
    text: str
    def __init__(self, review_id: _Optional[str] = ..., text: _Optional[str] = ..., at: _Optional[int] = ...) -> None: ...

class StoredReply(_message.Message):
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

class StoredReport(_message.Message):
    __slots__ = ["business_id", "created_at", "explanation", "id", "reason", "review_id"]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    business_id: str
    created_at: int
    explanation: str
    id: str
    reason: _findreviewer_pb2.ReportReason
    review_id: str
    def __init__(self, id: _Optional[str] = ..., business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., reason: _Optional[_Union[_findreviewer_pb2.ReportReason, str]] = ..., explanation: _Optional[str] = ..., created_at: _Optional[int] = ...) -> None: ...

class StoredRequest(_message.Message):
    __slots__ = ["automatic_reminder_at", "business_id", "closed_at", "created_at", "deadline", "flags", "id", "idempotency_key", "manual_reminder_at", "message", "opened_at", "reference_label", "reply", "reply_erased_at", "reply_erasure", "requested_fields", "review_id", "reviewer_erased_at", "reviewer_id", "status", "timeline", "token", "window_start"]
    AUTOMATIC_REMINDER_AT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MANUAL_REMINDER_AT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_LABEL_FIELD_NUMBER: _ClassVar[int]
    REPLY_ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    REPLY_ERASURE_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TIMELINE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    automatic_reminder_at: int
    business_id: str
    closed_at: int
    created_at: int
    deadline: int
    flags: int
    id: str
    idempotency_key: str
    manual_reminder_at: int
    message: str
    opened_at: int
    reference_label: str
    reply: StoredReply
    reply_erased_at: int
    reply_erasure: _findreviewer_pb2.ReplyErasureReason
    requested_fields: _containers.RepeatedScalarFieldContainer[_findreviewer_pb2.RequestedField]
    review_id: str
    reviewer_erased_at: int
    reviewer_id: str
    status: _findreviewer_pb2.RequestStatus
    timeline: _containers.RepeatedCompositeFieldContainer[StoredTimelineEntry]
    token: str
    window_start: int
    def __init__(self, id: _Optional[str] = ..., business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., reviewer_id: _Optional[str] = ..., message: _Optional[str] = ..., requested_fields: _Optional[_Iterable[_Union[_findreviewer_pb2.RequestedField, str]]] = ..., reference_label: _Optional[str] = ..., status: _Optional[_Union[_findreviewer_pb2.RequestStatus, str]] = ..., created_at: _Optional[int] = ..., window_start: _Optional[int] = ..., deadline: _Optional[int] = ..., automatic_reminder_at: _Optional[int] = ..., manual_reminder_at: _Optional[int] = ..., reply: _Optional[_Union[StoredReply, _Mapping]] = ..., opened_at: _Optional[int] = ..., closed_at: _Optional[int] = ..., token: _Optional[str] = ..., timeline: _Optional[_Iterable[_Union[StoredTimelineEntry, _Mapping]]] = ..., idempotency_key: _Optional[str] = ..., flags: _Optional[int] = ..., reply_erased_at: _Optional[int] = ..., reply_erasure: _Optional[_Union[_findreviewer_pb2.ReplyErasureReason, str]] = ..., reviewer_erased_at: _Optional[int] = ...) -> None: ...

class StoredRequestAnswered(_message.Message):
    __slots__ = ["outbox_id", "reply", "request_id"]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    outbox_id: str
    reply: StoredReply
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., reply: _Optional[_Union[StoredReply, _Mapping]] = ..., outbox_id: _Optional[str] = ...) -> None: ...

class StoredRequestCreated(_message.Message):
    __slots__ = ["acknowledges_introduction", "at", "business_id", "idempotency_key", "message", "outbox_id", "reference_label", "request_id", "requested_fields", "review_id", "reviewer_id", "skip_business_emails", "token"]
    ACKNOWLEDGES_INTRODUCTION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_LABEL_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    SKIP_BUSINESS_EMAILS_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    acknowledges_introduction: bool
    at: int
    business_id: str
    idempotency_key: str
    message: str
    outbox_id: str
    reference_label: str
    request_id: str
    requested_fields: _containers.RepeatedScalarFieldContainer[_findreviewer_pb2.RequestedField]
    review_id: str
    reviewer_id: str
    skip_business_emails: bool
    token: str
    def __init__(self, request_id: _Optional[str] = ..., business_id: _Optional[str] = ..., review_id: _Optional[str] = ..., reviewer_id: _Optional[str] = ..., message: _Optional[str] = ..., requested_fields: _Optional[_Iterable[_Union[_findreviewer_pb2.RequestedField, str]]] = ..., reference_label: _Optional[str] = ..., token: _Optional[str] = ..., at: _Optional[int] = ..., acknowledges_introduction: bool = ..., idempotency_key: _Optional[str] = ..., outbox_id: _Optional[str] = ..., skip_business_emails: bool = ...) -> None: ...

class StoredRequestTransition(_message.Message):
    __slots__ = ["at", "outbox_id", "request_id"]
    AT_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    at: int
    outbox_id: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., at: _Optional[int] = ..., outbox_id: _Optional[str] = ...) -> None: ...

class StoredReview(_message.Message):
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
    public_reply: StoredPublicReply
    rating: int
    reviewer_id: str
    source: _findreviewer_pb2.ReviewSource
    text: str
    title: str
    def __init__(self, id: _Optional[str] = ..., business_id: _Optional[str] = ..., reviewer_id: _Optional[str] = ..., rating: _Optional[int] = ..., title: _Optional[str] = ..., text: _Optional[str] = ..., experience_date: _Optional[str] = ..., created_at: _Optional[int] = ..., source: _Optional[_Union[_findreviewer_pb2.ReviewSource, str]] = ..., public_reply: _Optional[_Union[StoredPublicReply, _Mapping]] = ...) -> None: ...

class StoredReviewer(_message.Message):
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

class StoredReviewerErased(_message.Message):
    __slots__ = ["at", "review_ids", "reviewer_id"]
    AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEW_IDS_FIELD_NUMBER: _ClassVar[int]
    at: int
    review_ids: _containers.RepeatedScalarFieldContainer[str]
    reviewer_id: str
    def __init__(self, reviewer_id: _Optional[str] = ..., at: _Optional[int] = ..., review_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class StoredTimelineEntry(_message.Message):
    __slots__ = ["at", "kind"]
    AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    at: int
    kind: _findreviewer_pb2.TimelineEventKind
    def __init__(self, at: _Optional[int] = ..., kind: _Optional[_Union[_findreviewer_pb2.TimelineEventKind, str]] = ...) -> None: ...

class StoredEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class StoredNotificationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
