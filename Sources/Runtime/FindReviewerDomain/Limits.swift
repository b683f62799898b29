/// Maximum lengths of every text the domain accepts, in Unicode code points (DESIGN.md §2
/// "Inputs"; see ``Validation`` for why code points), except where a limit says bytes. The same
/// figures are documented in Protos/findreviewer/v1/findreviewer.proto and storage.proto.
public enum Limits {
    /// Ids: 1...64 of `[A-Za-z0-9._:-]`.
    public static let id = 64
    public static let displayName = 200
    /// RFC 5321's limit on a forward path.
    public static let email = 254
    public static let locale = 35
    public static let reviewTitle = 200
    public static let reviewText = 10_000
    /// `YYYY-MM-DD`.
    public static let experienceDate = 10
    public static let requestMessage = 2_000
    public static let referenceLabel = 40
    public static let referenceNumber = 100
    public static let fullName = 200
    public static let phone = 32
    public static let replyNote = 1_000
    public static let publicReply = 5_000
    public static let reportExplanation = 2_000
    /// Reply tokens and idempotency keys, in bytes.
    public static let token = 128
    public static let idempotencyKey = 128
    /// Items per page of a list query.
    public static let pageSize = 500
    /// Items per page when the caller asks for 0.
    public static let defaultPageSize = 50
}
