import Credentials
@testable import FindReviewerDomain
import Testing

@Suite("Texts packed in arenas: every text back byte for byte, copies of a state independent")
struct TextArenaTests {
    static let quarter = TextArena.chunkCapacity / 4

    @Test("texts of every length come back byte for byte, from an arena and on their own", arguments: [
        "", "a", String(repeating: "x", count: 15), String(repeating: "y", count: 16),
        "Hello! We cannot find your booking. Could you share your booking number and name?", "Grüße aus Malmö 😀\nzweite Zeile",
        String(repeating: "q", count: Self.quarter), String(repeating: "r", count: Self.quarter + 1),
        String(repeating: "s", count: 70_000),
    ])
    func roundTrip(text: String) {
        var arena = TextArena()
        _ = arena.store("something before it")
        for stored in [arena.store(text), StoredText(text), arena.adopt(StoredText(text))] {
            #expect(stored.string == text)
            #expect(stored.utf8Count == text.utf8.count)
            #expect(stored.isEmpty == text.isEmpty)
            #expect(stored == text)
            #expect(stored == StoredText(text))
        }
        #expect(StoredText(text).isSingle == !text.isEmpty)
        #expect(!arena.adopt(StoredText(text)).isSingle)
    }

    @Test("short texts share chunks end to end; a text beyond a quarter of a chunk gets its own")
    func packing() {
        var arena = TextArena()
        let texts = (0..<2_000).map { arena.store("message number \($0) " + String(repeating: "m", count: 60)) }
        let bytes = texts.reduce(0) { $0 + $1.utf8Count }
        var chunks = 1
        for (previous, next) in zip(texts, texts.dropFirst()) where !previous.sharesChunk(with: next) { chunks += 1 }
        #expect(chunks == (bytes + TextArena.chunkCapacity - 1) / TextArena.chunkCapacity)
        for (index, text) in texts.enumerated() { #expect(text.string.hasPrefix("message number \(index) ")) }
        let large = arena.store(String(repeating: "L", count: Self.quarter + 1))
        let after = arena.store("after the large one")
        #expect(!large.sharesChunk(with: after))
        #expect(after.sharesChunk(with: texts.last!))
        let single = StoredText("on its own")
        #expect(arena.adopt(after).sharesChunk(with: after))
        #expect(!arena.adopt(single).sharesChunk(with: single))
    }

    @Test("texts equal by their bytes, wherever they are stored")
    func equality() {
        var first = TextArena()
        var second = TextArena()
        #expect(first.store("same words") == second.store("same words"))
        #expect(first.store("same words") != second.store("same word"))
        #expect(first.store("same words") != second.store("Same words"))
        #expect(StoredText() == first.store(""))
        #expect(!(first.store("abc") == "abd"))
    }

    @Test("a copy of an arena appends into chunks of its own: neither copy overwrites the other's texts")
    func copies() {
        var original = TextArena()
        let before = original.store("stored before the copy")
        var copy = original
        let mine = (0..<300).map { original.store("original \($0)") }
        let theirs = (0..<300).map { copy.store("copy \($0) with other bytes") }
        #expect(before.string == "stored before the copy")
        for index in 0..<300 {
            #expect(mine[index].string == "original \(index)")
            #expect(theirs[index].string == "copy \(index) with other bytes")
        }
        #expect(!mine[0].sharesChunk(with: theirs[0]))
    }

    @Test("two copies of a state create requests with different messages; each keeps its own")
    func forkedStates() throws {
        var world = World.make()
        var fork = world
        try world.run(.createRequest(.init(
            businessId: "acme", reviewId: "r-organic", message: "The message of the original state.", requestedFields: [.fullName],
            referenceLabel: "", token: TokenSource.shared.next())))
        try fork.run(.createRequest(.init(
            businessId: "acme", reviewId: "r-organic", message: "The fork's message, of another length.", requestedFields: [.fullName],
            referenceLabel: "", token: TokenSource.shared.next())))
        #expect(world.state.requests.values.map(\.message) == ["The message of the original state."])
        #expect(fork.state.requests.values.map(\.message) == ["The fork's message, of another length."])
    }

    @Test("a copy's texts read on another thread while the original appends stay intact")
    func readersBesideTheWriter() async {
        var arena = TextArena()
        let early = (0..<1_000).map { arena.store("early text \($0), long enough to need storage") }
        let copy = early
        let reader = Task.detached { () -> Bool in
            var intact = true
            for _ in 0..<20 {
                for (index, text) in copy.enumerated() where text.string != "early text \(index), long enough to need storage" { intact = false }
            }
            return intact
        }
        let late = (0..<5_000).map { arena.store("late text \($0)") }
        #expect(await reader.value)
        #expect(late.last?.string == "late text 4999")
    }
}
