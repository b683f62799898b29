@testable import FindReviewerDomain
import Testing

@Suite("Tables: rows in insertion order, lookups by id, copies that stay independent")
struct TableTests {
    struct Item: TableRow {
        var id: String
        var value: Int
    }

    @Test("across chunk boundaries: rows are stable, lookups find every id, updates land in place")
    func rowsAndLookups() {
        var table = Table<Item>()
        for number in 0..<5_000 { table.upsert(Item(id: "item-\(number)", value: number)) }
        #expect(table.count == 5_000)
        #expect(table.values.map(\.value) == Array(0..<5_000))
        for number in [0, 1_023, 1_024, 2_047, 4_999] {
            #expect(table.row(of: "item-\(number)") == Int32(number))
            #expect(table["item-\(number)"]?.value == number)
        }
        #expect(table["item-5000"] == nil)
        let (row, inserted) = table.upsert(Item(id: "item-1024", value: -1))
        #expect(row == 1_024 && !inserted)
        #expect(table.count == 5_000)
        #expect(table.update("item-7") { $0.value = 70 })
        #expect(!table.update("missing") { $0.value = 1 })
        #expect(table[row: 7].value == 70)
        #expect(table["item-1024"]?.value == -1)
    }

    @Test("a copy taken before writes keeps its values (value semantics through the chunks and shards)")
    func copiesAreIndependent() {
        var table = Table<Item>()
        for number in 0..<3_000 { table.upsert(Item(id: "item-\(number)", value: number)) }
        let copy = table
        table.update("item-5") { $0.value = 500 }
        table.upsert(Item(id: "item-new", value: 1))
        table.upsert(Item(id: "item-2999", value: 0))
        #expect(copy["item-5"]?.value == 5)
        #expect(copy["item-new"] == nil)
        #expect(copy["item-2999"]?.value == 2_999)
        #expect(copy.count == 3_000)
        #expect(table["item-5"]?.value == 500)
        #expect(table.count == 3_001)
        #expect(copy != table)
    }

    @Test("numbered ids find their row without a hash index; ids that do not fit their row still work")
    func numbered() {
        var table = Table<Item>(numberedWithPrefix: "req_")
        for number in 1...3_000 { table.upsert(Item(id: DomainState.sequentialId("req_", number), value: number)) }
        #expect(table.row(of: "req_00002048") == 2_047)
        #expect(table["req_00003000"]?.value == 3_000)
        #expect(table["req_00003001"] == nil)
        #expect(table["req_2048"] == nil)  // same number, another id
        #expect(table["req_"] == nil && table["req_x"] == nil && table["req_00000000"] == nil && table["rep_00000001"] == nil)
        // Ids out of sequence: a number ahead of the rows, a non-canonical spelling, no number at all.
        table.upsert(Item(id: "req_00009999", value: -1))
        table.upsert(Item(id: "req_5", value: -2))
        table.upsert(Item(id: "other", value: -3))
        #expect(table.count == 3_003)
        #expect(table["req_00009999"]?.value == -1 && table["req_5"]?.value == -2 && table["other"]?.value == -3)
        #expect(table["req_00000005"]?.value == 5)
        // The row 3,003 names is taken by its own id now; the hashed one keeps its row.
        #expect(table.upsert(Item(id: "req_00003004", value: 4)) == (3_003, true))
        #expect(table.upsert(Item(id: "req_00009999", value: -4)) == (3_000, false))
        #expect(table.upsert(Item(id: "req_00000007", value: 70)) == (6, false))
        #expect(table["req_00009999"]?.value == -4 && table["req_00000007"]?.value == 70 && table.count == 3_004)
    }

    @Test("row index: equal hashes probe on and the key check decides; growth keeps every row")
    func rowIndex() {
        var index = RowIndex()
        let keys = (0..<10_000).map { "key-\($0)" }
        // Every key filed under one of only 8 hashes: long probe chains, the key check decides.
        func hash(_ number: Int) -> UInt64 { UInt64(number % 8) &* 0x9E37_79B9_7F4A_7C15 }
        for number in 0..<2_000 { index.insert(hash(number), row: Int32(number)) }
        for number in [0, 7, 8, 1_999] {
            #expect(index.find(hash(number)) { keys[Int($0)] == keys[number] } == Int32(number))
        }
        #expect(index.find(hash(3)) { _ in false } == nil)
        // Real hashes, through several resizes, and a copy that stays as it was.
        var real = RowIndex()
        for number in 0..<10_000 { real.insert(RowIndex.hash(keys[number]), row: Int32(number)) }
        let copy = real
        real.insert(RowIndex.hash("late"), row: 10_000)
        #expect(real.count == 10_001 && copy.count == 10_000)
        #expect(copy.find(RowIndex.hash("late")) { _ in true } == nil)
        for number in stride(from: 0, to: 10_000, by: 37) {
            #expect(real.find(RowIndex.hash(keys[number])) { keys[Int($0)] == keys[number] } == Int32(number))
        }
        #expect(real.find(RowIndex.hash("key-10000")) { $0 < 10_000 && keys[Int($0)] == "key-10000" } == nil)
        #expect(real != copy)
    }

    @Test("due queue: pops in (time, row) order whatever the push order, a copy keeps its entries")
    func dueQueue() {
        var generator = SystemRandomNumberGenerator()
        var queue = DueQueue()
        var model: [DueQueue.Entry] = []
        for step in 0..<5_000 {
            if model.isEmpty || Int.random(in: 0..<3, using: &generator) > 0 {
                let entry = DueQueue.Entry(at: Int64.random(in: 0..<500, using: &generator), row: Int32(step))
                queue.push(entry)
                model.append(entry)
            } else {
                model.sort()
                #expect(queue.popFirst() == model.removeFirst())
            }
        }
        let copy = queue
        model.sort()
        for entry in model { #expect(queue.popFirst() == entry) }
        #expect(queue.popFirst() == nil)
        #expect(copy.entries.count == model.count)
    }

    @Test("equality follows the values in row order")
    func equality() {
        var a = Table<Item>()
        var b = Table<Item>()
        a.upsert(Item(id: "x", value: 1))
        a.upsert(Item(id: "y", value: 2))
        b.upsert(Item(id: "x", value: 1))
        #expect(a != b)
        b.upsert(Item(id: "y", value: 2))
        #expect(a == b)
        b.update("y") { $0.value = 3 }
        #expect(a != b)
    }

    @Test("a request keeps what it was given: fields in declaration order, a timeline without the implied first entry, later parts")
    func compactRequest() {
        let created = TimelineEntry(at: 100, kind: .created)
        var request = InfoRequest(
            id: "req_00000001", businessId: "acme", reviewId: "r1", reviewerId: "ann", message: "Hello",
            requestedFields: [.email, .phone], referenceLabel: "", status: .pending, createdAt: 100, windowStart: 100,
            deadline: 200, token: String(repeating: "a", count: 48), timeline: [created])
        #expect(request.requestedFields == [.email, .phone])
        #expect(request.asks(for: .phone) && !request.asks(for: .fullName))
        #expect(request.timeline == [created])
        #expect(request.reply == nil && request.openedAt == nil && request.closedAt == nil && request.manualReminderAt == nil)
        let copy = request
        request.reply = ReviewerReply(phone: "+46 70 123 45 67", repliedAt: 150)
        request.record(TimelineEntry(at: 150, kind: .answered))
        request.openedAt = 160
        #expect(request.reply?.phone == "+46 70 123 45 67")
        #expect(request.timeline == [created, TimelineEntry(at: 150, kind: .answered)])
        #expect(copy.reply == nil && copy.timeline == [created])
        #expect(copy != request)
        request.reply = nil
        request.openedAt = nil
        request.timeline = [created]
        #expect(copy == request)
        // A timeline that does not start with the creation at createdAt is kept as given.
        let odd = [TimelineEntry(at: 90, kind: .expired)]
        request.timeline = odd
        #expect(request.timeline == odd)
        #expect(request != copy)
    }

    @Test("the restorer gives a request its review's id strings and hands back the decoded copies it replaced, once")
    func replacedStrings() throws {
        let business = "business-with-a-long-id"
        let reviewId = "a-review-id-longer-than-fifteen-bytes"
        let reviewerId = "a-reviewer-id-longer-than-fifteen-bytes"
        var restorer = SnapshotRestorer()
        restorer.add(.business(Business(id: business, displayName: "B", notificationEmail: "b@example.com")))
        restorer.add(.review(Review(
            id: reviewId, businessId: String(business.utf8.map { Character(UnicodeScalar($0)) }), reviewerId: reviewerId,
            rating: 2, title: "t", text: "x", createdAt: 1, source: .organic)))
        // The business id the review was decoded with is replaced by the business's own.
        #expect(restorer.takeReplaced() == [business])
        #expect(restorer.takeReplaced().isEmpty)
        // Copies, as a decoder makes them: equal strings with storage of their own.
        func copy(_ string: String) -> String { String(decoding: Array(string.utf8), as: UTF8.self) }
        let request = InfoRequest(
            id: "req_00000001", businessId: copy(business), reviewId: copy(reviewId), reviewerId: copy(reviewerId),
            message: "Hello", requestedFields: [.email], referenceLabel: "", status: .pending, createdAt: 10, windowStart: 10,
            deadline: 20, token: String(repeating: "b", count: 48), timeline: [TimelineEntry(at: 10, kind: .created)])
        restorer.add(.request(request, idempotencyKey: nil))
        // The review id is not a string: the request shares its review's packed id (checked below).
        #expect(restorer.takeReplaced() == [business, reviewerId])
        #expect(restorer.takeReplaced().isEmpty)
        // Short ids live inside the string itself: nothing to hand back.
        restorer.add(.review(Review(id: "r2", businessId: business, reviewerId: "ann", rating: 2, title: "t", text: "x", createdAt: 1, source: .organic)))
        #expect(restorer.takeReplaced() == [business])
        let state = restorer.finish()
        #expect(state.requests["req_00000001"]?.reviewId == reviewId)
        let review = try #require(state.reviews[reviewId])
        #expect(try #require(state.requests["req_00000001"]).reviewIdText.sharesChunk(with: review.storedID))
        #expect(!review.storedID.isSingle && !review.storedText.isSingle)
        #expect(state.requests["req_00000001"]?.reviewerId == reviewerId)
    }

    @Test("chunked array: removeLast across chunk ends, swaps, literals; a copy keeps its elements")
    func chunkedArrayEdits() {
        var array: ChunkedArray<Int> = [1, 2, 3]
        #expect(Array(array) == [1, 2, 3])
        for value in 4...2_100 { array.append(value) }
        let copy = array
        #expect(array.removeLast() == 2_100)
        while array.count > 1_024 { array.removeLast() }
        #expect(array.count == 1_024 && array.last == 1_024)
        array.removeLast()
        array.append(-1)  // starts the second chunk again
        #expect(array.count == 1_024 && array[1_023] == -1 && array[1_022] == 1_023)
        array.swapAt(0, 1_023)
        #expect(array[0] == -1 && array[1_023] == 1)
        array.swapAt(5, 5)
        #expect(array[5] == 6)
        #expect(copy.count == 2_100 && copy[0] == 1 && copy[1_023] == 1_024 && copy.last == 2_100)
        while !array.isEmpty { array.removeLast() }
        #expect(array.isEmpty && array.first == nil)
        array.append(7)
        #expect(Array(array) == [7])
    }
}
