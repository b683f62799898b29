import FindReviewerDomain
import Messages

/// The bytes a business moves in (`BusinessExport` of storage.proto: the snapshot items of
/// ``DomainState/exportItems(businessId:)``, encoded as snapshot files encode them).
public enum BusinessTransfer {
    /// The version ``encode(_:businessId:sourceShard:at:)`` writes and ``decode(_:)`` reads.
    public static let version: UInt32 = 1

    /// What an export holds.
    public struct Counts: Sendable, Equatable {
        public var reviewers = 0
        public var reviews = 0
        public var requests = 0
        public var reports = 0
        public var outboxEntries = 0
        public var pendingEmails = 0
        public var blocks = 0

        /// The counts of `items`.
        public init(_ items: [FindReviewerDomain.SnapshotItem]) {
            for item in items {
                switch item {
                case .business, .counters: break
                case .reviewer: self.reviewers += 1
                case .review: self.reviews += 1
                case .request: self.requests += 1
                case .report: self.reports += 1
                case .outbox(let entry):
                    self.outboxEntries += 1
                    if entry.isPending { self.pendingEmails += 1 }
                case .block: self.blocks += 1
                }
            }
        }
    }

    /// The export's bytes.
    public static func encode(
        _ items: [FindReviewerDomain.SnapshotItem], businessId: String, sourceShard: String, at: Int64
    ) throws(MessageError) -> [UInt8] {
        try BusinessExport(
            version: self.version, businessId: businessId, sourceShard: sourceShard, exportedAt: at,
            items: items.map(StorageMapping.storedItem)
        ).serializedBytes()
    }

    /// The items of an export; INVALID_ARGUMENT (field `data`) for anything else.
    public static func decode(_ bytes: [UInt8]) throws(DomainError) -> (businessId: String, items: [FindReviewerDomain.SnapshotItem]) {
        let export: BusinessExport
        do {
            export = try BusinessExport(serializedBytes: bytes)
        } catch {
            throw DomainError(.invalidArgument, "data: not a business export (BusinessExport): \(error)", field: "data")
        }
        guard export.version == self.version else {
            throw DomainError(.invalidArgument, "data: export version \(export.version); this server reads version \(self.version)", field: "data")
        }
        var items: [FindReviewerDomain.SnapshotItem] = []
        items.reserveCapacity(export.items.count)
        for stored in export.items {
            do {
                items.append(try StorageMapping.item(stored))
            } catch {
                throw DomainError(.invalidArgument, "data: an item of the export cannot be read: \(error)", field: "data")
            }
        }
        guard case .business(let business)? = items.first, business.id == export.businessId else {
            throw DomainError(.invalidArgument, "data: an export starts with its business", field: "data")
        }
        return (export.businessId, items)
    }
}
