import FindReviewerDomain
@testable import FindReviewerEngine
@testable import FindReviewerServer
import Messages
import Testing

@Suite("Snapshot items and journal records read by the generated wire readers agree with protobuf-c")
struct StoredWireReaderTests {
    typealias Item = FindReviewerDomain.SnapshotItem

    /// One item of every kind, with every optional part set (and some without).
    static let items: [Item] = {
        let reply = FindReviewerDomain.ReviewerReply(
            email: "ann@mail.example", referenceNumber: "BK-1", fullName: "Ann Ångström", phone: "+46 70 123 45 67",
            note: "Rum 12.\nTack!", repliedAt: 1_700_000_500)
        let timeline = [
            FindReviewerDomain.TimelineEntry(at: 1_700_000_000, kind: .created),
            FindReviewerDomain.TimelineEntry(at: 1_700_000_100, kind: .expired),
            FindReviewerDomain.TimelineEntry(at: 1_700_000_200, kind: .manualReminderSent),
            FindReviewerDomain.TimelineEntry(at: 1_700_000_500, kind: .answered),
            FindReviewerDomain.TimelineEntry(at: 1_700_000_600, kind: .replyOpened),
        ]
        let full = FindReviewerDomain.InfoRequest(
            id: "req_00000001", businessId: "acme", reviewId: "r1", reviewerId: "ann", message: "Hej! Vi hittar inte din bokning.",
            requestedFields: [.email, .referenceNumber, .fullName, .phone], referenceLabel: "Bokningsnummer", status: .answered,
            createdAt: 1_700_000_000, windowStart: 1_700_000_200, deadline: 1_700_432_200, automaticReminderAt: 1_700_000_050,
            manualReminderAt: 1_700_000_200, reply: reply, openedAt: 1_700_000_600, closedAt: 1_700_000_100,
            token: String(repeating: "ab", count: 24), timeline: timeline)
        let fresh = FindReviewerDomain.InfoRequest(
            id: "req_00000002", businessId: "acme", reviewId: "r2", reviewerId: "bo", message: "Who are you?",
            requestedFields: [.phone], referenceLabel: "", status: .pending, createdAt: 1_700_000_000, windowStart: 1_700_000_000,
            deadline: 1_700_432_000, token: String(repeating: "0f", count: 24), timeline: [timeline[0]])
        let erased = FindReviewerDomain.InfoRequest(
            id: "req_00000003", businessId: "acme", reviewId: "r1", reviewerId: "cy", message: "Hi", requestedFields: [.fullName],
            referenceLabel: "", status: .answered, createdAt: 1_700_000_000, windowStart: 1_700_000_000, deadline: 1_700_432_000,
            reply: FindReviewerDomain.ReviewerReply(repliedAt: 1_700_000_400), token: "",
            timeline: [
                timeline[0], FindReviewerDomain.TimelineEntry(at: 1_700_000_400, kind: .answered),
                FindReviewerDomain.TimelineEntry(at: 1_700_000_800, kind: .replyDetailsErased),
                FindReviewerDomain.TimelineEntry(at: 1_700_001_000, kind: .reviewerErased),
            ],
            skipBusinessEmails: true, replyErasedAt: 1_700_000_800, replyErasure: .retentionPeriod, reviewerErasedAt: 1_700_001_000)
        return [
            .business(FindReviewerDomain.Business(
                id: "acme", displayName: "Acme Resor", notificationEmail: "team@acme.example", locale: "sv-SE", plan: .paid,
                introAcknowledgedAt: 1_699_999_999)),
            .business(FindReviewerDomain.Business(id: "other", displayName: "Other", notificationEmail: "o@other.example")),
            .reviewer(FindReviewerDomain.Reviewer(id: "ann", displayName: "Ann Ångström", email: "ann@mail.example", locale: "de")),
            .review(FindReviewerDomain.Review(
                id: "r1", businessId: "acme", reviewerId: "ann", rating: 2, title: "Stökig incheckning", text: "Lång kö.\nInget rum.",
                experienceDate: "2026-11-01", createdAt: 1_699_000_000, source: .businessInvitation,
                publicReply: FindReviewerDomain.PublicReply(text: "Sorry!", createdAt: 1_700_000_700, updatedAt: 1_700_000_800))),
            .review(FindReviewerDomain.Review(
                id: "r2", businessId: "acme", reviewerId: "bo", rating: 5, title: "", text: "", createdAt: 1, source: .platformInvitation)),
            .request(full, idempotencyKey: "key-1"),
            .request(fresh, idempotencyKey: nil),
            .report(FindReviewerDomain.Report(
                id: "rep_00000001", businessId: "acme", reviewId: "r1", reason: .notGenuineExperience, explanation: "No such stay.",
                createdAt: 1_700_000_900)),
            .outbox(FindReviewerDomain.OutboxEntry(id: "out_00000001", kind: .requestToReviewer, requestId: "req_00000001", createdAt: 5)),
            .outbox(FindReviewerDomain.OutboxEntry(
                id: "out_00000002", kind: .expired, requestId: "req_00000001", createdAt: 6, deliveredAt: 7)),
            .counters(requests: 2, reports: 1, outbox: 2),
            // Issue 22: an erased reviewer, a request with erased details that skips business
            // emails, a cancelled email, a block.
            .reviewer(FindReviewerDomain.Reviewer(id: "cy", displayName: "", email: "", locale: "", erasedAt: 1_700_001_000)),
            .request(erased, idempotencyKey: nil),
            .outbox(FindReviewerDomain.OutboxEntry(
                id: "out_00000003", kind: .businessBlocked, requestId: "req_00000003", createdAt: 8, cancelledAt: 9)),
            .outbox(FindReviewerDomain.OutboxEntry(id: "out_00000004", kind: .businessUnblocked, requestId: "req_00000003", createdAt: 10)),
            .block(FindReviewerDomain.ReviewerBlock(reviewerId: "ann", businessId: "acme", blockedAt: 1_700_000_300, requestId: "req_00000001")),
        ]
    }()

    /// The start-up path: `SnapshotItem(wire:)` (generated, pure Swift), then the mapping.
    static func decodeFast(_ bytes: [UInt8]) throws -> Item {
        var texts: TextArena? = TextArena()
        return try bytes.withUnsafeBytes { try StorageMapping.decodeItem($0, texts: &texts) }
    }
    /// The reference: protobuf-c's unpack, then the same mapping.
    static func decodeReference(_ bytes: [UInt8]) throws -> Item {
        try StorageMapping.item(try Messages.SnapshotItem(serializedBytes: bytes))
    }

    @Test("every kind of item, every field set, decodes to what was encoded")
    func roundTrip() throws {
        for item in Self.items {
            let bytes = try StorageMapping.encode(item)
            #expect(try Self.decodeFast(bytes) == item)
            #expect(try Self.decodeReference(bytes) == item)
        }
    }

    @Test("unknown fields are skipped, in the item and inside an entity")
    func unknownFields() throws {
        let item = Self.items[5]
        let bytes = try StorageMapping.encode(item)
        // Field 99 as a varint, field 98 as fixed64, field 97 as fixed32, at the end of the item.
        let extra: [UInt8] = [0x98, 0x06, 0x01, 0x91, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0x8D, 0x06, 1, 2, 3, 4]
        #expect(try Self.decodeFast(bytes + extra) == item)
        // Inside the request: rewrite the item as field 4 with the extra bytes appended to its body.
        let body = Array(bytes.dropFirst(1 + Self.varintLength(bytes, at: 1)))
        let longer = body + extra
        #expect(try Self.decodeFast([0x22] + Self.varint(UInt64(longer.count)) + longer) == item)
    }

    @Test("every truncation and every flipped byte: both decoders fail, or both give the same item (field 0 aside)")
    func damageAgrees() throws {
        for item in Self.items {
            let bytes = try StorageMapping.encode(item)
            var variants: [[UInt8]] = (0..<bytes.count).map { Array(bytes.prefix($0)) }
            for index in bytes.indices {
                for mask: UInt8 in [0x01, 0x80, 0xFF] {
                    var damaged = bytes
                    damaged[index] ^= mask
                    variants.append(damaged)
                }
            }
            for variant in variants {
                let fast = Result { try Self.decodeFast(variant) }
                let reference = Result { try Self.decodeReference(variant) }
                switch (fast, reference) {
                case (.success(let a), .success(let b)): #expect(a == b, "bytes \(variant)")
                case (.failure, .failure): break
                // Stricter than protobuf-c on one point: field number 0 is invalid (protobuf-c skips it as unknown).
                case (.failure(let error), .success) where "\(error)".contains("invalid number"): break
                default: Issue.record("decoders disagree on \(variant): wire \(fast), protobuf-c \(reference)")
                }
            }
        }
    }

    @Test("wrong wire types, overlong varints and lengths past the end are errors, not crashes")
    func malformed() {
        let cases: [[UInt8]] = [
            [0x22, 0x05, 0x08],  // request body longer than the item
            [0x22, 0x02, 0x0A, 0x05],  // string longer than the request body
            [0x22, 0x02, 0x48, 0xFF],  // created_at varint truncated
            [0x22, 0x0B, 0x48] + [UInt8](repeating: 0xFF, count: 10),  // varint of 11 bytes
            [0x22, 0x02, 0x0D, 0x00],  // id with wire type fixed32
            [0x20, 0x01],  // request as a varint
            [0x22, 0x03, 0x0A, 0x01, 0x00],  // a NUL in a string
            [0x22, 0x04, 0x0A, 0x02, 0xC3, 0x28],  // invalid UTF-8
            [0x0F],  // wire type 7
            [],  // nothing set
            [0x22, 0x02, 0x40, 0x09],  // request status 9: not a RequestStatus
            [0x22, 0x02, 0x32, 0x01, 0x07],  // requested field 7 (packed): not a RequestedField
            [0x0A, 0x02, 0x0A, 0x05, 0x12, 0x00],  // a damaged business, then a reviewer: the later case does not hide it
        ]
        for bytes in cases {
            #expect(throws: (any Error).self, "bytes \(bytes)") { try Self.decodeFast(bytes) }
            #expect(throws: (any Error).self, "bytes \(bytes)") { try Self.decodeReference(bytes) }
        }
    }

    @Test("the last case of the oneof wins, as with protobuf-c")
    func lastCaseWins() throws {
        let first = try StorageMapping.encode(Self.items[0])
        let second = try StorageMapping.encode(Self.items[2])
        #expect(try Self.decodeFast(first + second) == Self.items[2])
        #expect(try Self.decodeReference(first + second) == Self.items[2])
    }

    @Test("every journal record of every domain event: the wire reader and protobuf-c read the same StoredEvent",
        arguments: StorageMappingTests.events.indices)
    func eventsAgree(index: Int) throws {
        let bytes = try StorageMapping.encode(StorageMappingTests.events[index])
        let fast = try bytes.withUnsafeBytes { try StoredEvent(wire: $0) }
        #expect(fast == (try StoredEvent(serializedBytes: bytes)))
        #expect(fast.event != nil)
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }

    static func varintLength(_ bytes: [UInt8], at start: Int) -> Int {
        var index = start
        while bytes[index] & 0x80 != 0 { index += 1 }
        return index - start + 1
    }
}
