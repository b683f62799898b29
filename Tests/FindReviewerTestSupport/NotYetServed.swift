/// Methods declared in Protos/ whose handlers are not wired into the server yet (issue 22: the
/// domain, protos and policies landed first; phase B registers the handlers). Tests that walk
/// every method expect exactly UNIMPLEMENTED from these, so a method wired without being taken
/// off this list fails them: the list can only shrink. Empty it, and delete it, with phase B.
public enum NotYetServed {
    public static let methods: Set<String> = [
        "findreviewer.v1.FindReviewer/BlockBusiness",
        "findreviewer.v1.FindReviewer/UnblockBusiness",
        "findreviewer.v1.FindReviewer/UnblockBusinessForReviewer",
        "findreviewer.v1.FindReviewer/ListReviewerBlocks",
        "findreviewer.v1.FindReviewer/EraseReviewer",
    ]

    /// Documented (PROTOCOL.md §4.2) "method reason" pairs that only those methods can bring
    /// about over the wire: a block or an erasure must happen first.
    public static let reasons: Set<String> = [
        "CreateInfoRequest REVIEWER_NOT_CONTACTABLE",
        "SendManualReminder REVIEWER_NOT_CONTACTABLE",
        "UpsertReviewer REVIEWER_ERASED",
        "PublishReview REVIEWER_ERASED",
    ]
}
