import FindReviewerDomain
import Messages

/// Conversions between the wire enums (module Messages) and the domain's own: the part of the
/// wire mapping the stored messages share (storage.proto uses the same enums). The entities and
/// views map beside the handlers (FindReviewerServer/WireMapping+Entities.swift).
///
/// Both modules name their types after the same concepts, so every type here is qualified.
/// Times are Unix seconds on both sides; an absent time is 0 on the wire.
public enum WireMapping {
    // MARK: enums

    public static func plan(_ plan: Messages.Plan) -> FindReviewerDomain.Plan { plan == .paid ? .paid : .free }
    public static func plan(_ plan: FindReviewerDomain.Plan) -> Messages.Plan { plan == .paid ? .paid : .free }

    public static func source(_ source: Messages.ReviewSource, field: String) throws(DomainError) -> FindReviewerDomain.ReviewSource {
        switch source {
        case .organic: return .organic
        case .businessInvitation: return .businessInvitation
        case .platformInvitation: return .platformInvitation
        case .unspecified:
            throw DomainError(.invalidArgument, "\(field): choose ORGANIC, BUSINESS_INVITATION or PLATFORM_INVITATION", field: field)
        }
    }

    public static func source(_ source: FindReviewerDomain.ReviewSource) -> Messages.ReviewSource {
        switch source {
        case .organic: return .organic
        case .businessInvitation: return .businessInvitation
        case .platformInvitation: return .platformInvitation
        }
    }

    public static func field(_ field: Messages.RequestedField, name: String) throws(DomainError) -> FindReviewerDomain.RequestedField {
        switch field {
        case .email: return .email
        case .referenceNumber: return .referenceNumber
        case .fullName: return .fullName
        case .phone: return .phone
        case .unspecified: throw DomainError(.invalidArgument, "\(name): REQUESTED_FIELD_UNSPECIFIED is not a detail", field: name)
        }
    }

    public static func field(_ field: FindReviewerDomain.RequestedField) -> Messages.RequestedField {
        switch field {
        case .email: return .email
        case .referenceNumber: return .referenceNumber
        case .fullName: return .fullName
        case .phone: return .phone
        }
    }

    /// The wire's list of `fields`. A request's fields are distinct and in declaration order,
    /// so there are 16 such lists; each is mapped once, and answers share it instead of building
    /// an array each (a page of 20 requests built 20). Any other list is mapped as it is.
    public static func fields(_ fields: [FindReviewerDomain.RequestedField]) -> [Messages.RequestedField] {
        var bits = 0
        var previous = -1
        for field in fields {
            guard field.ordinal > previous else { return fields.map(self.field) }
            previous = field.ordinal
            bits |= 1 << field.ordinal
        }
        return self.fieldLists[bits]
    }

    /// Every list of distinct fields in declaration order, on the wire, by its bits (1 << ordinal).
    private static let fieldLists: [[Messages.RequestedField]] = (0..<(1 << FindReviewerDomain.RequestedField.allCases.count)).map { bits in
        FindReviewerDomain.RequestedField.allCases.filter { bits & (1 << $0.ordinal) != 0 }.map(Self.field)
    }

    public static func status(_ status: FindReviewerDomain.RequestStatus) -> Messages.RequestStatus {
        switch status {
        case .pending: return .pending
        case .answered: return .answered
        case .declined: return .declined
        case .withdrawn: return .withdrawn
        case .expired: return .expired
        }
    }

    public static func status(_ status: Messages.RequestStatus, field: String) throws(DomainError) -> FindReviewerDomain.RequestStatus {
        switch status {
        case .pending: return .pending
        case .answered: return .answered
        case .declined: return .declined
        case .withdrawn: return .withdrawn
        case .expired: return .expired
        case .unspecified: throw DomainError(.invalidArgument, "\(field): REQUEST_STATUS_UNSPECIFIED is not a status", field: field)
        }
    }

    public static func reason(_ reason: Messages.ReportReason) -> FindReviewerDomain.ReportReason? {
        switch reason {
        case .harmfulOrIllegal: return .harmfulOrIllegal
        case .personalInformation: return .personalInformation
        case .advertisingOrPromotional: return .advertisingOrPromotional
        case .notGenuineExperience: return .notGenuineExperience
        case .differentBusiness: return .differentBusiness
        case .unspecified: return nil
        }
    }

    public static func reason(_ reason: FindReviewerDomain.ReportReason) -> Messages.ReportReason {
        switch reason {
        case .harmfulOrIllegal: return .harmfulOrIllegal
        case .personalInformation: return .personalInformation
        case .advertisingOrPromotional: return .advertisingOrPromotional
        case .notGenuineExperience: return .notGenuineExperience
        case .differentBusiness: return .differentBusiness
        }
    }

    public static func timelineKind(_ kind: FindReviewerDomain.TimelineKind) -> TimelineEventKind {
        switch kind {
        case .created: return .created
        case .automaticReminderSent: return .automaticReminderSent
        case .answered: return .answered
        case .replyOpened: return .replyOpened
        case .declined: return .declined
        case .withdrawn: return .withdrawn
        case .expired: return .expired
        case .manualReminderSent: return .manualReminderSent
        case .replyDetailsErased: return .replyDetailsErased
        case .reviewerErased: return .reviewerErased
        }
    }
}
