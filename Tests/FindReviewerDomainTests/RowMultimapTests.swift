@testable import FindReviewerDomain
import Testing

@Suite("Row multimap: many rows under one key")
struct RowMultimapTests {
    @Test("random inserts and removals under few keys agree with a dictionary of sets", arguments: 0..<4)
    func againstADictionary(seed: Int) {
        var random = SeededGenerator(state: UInt64(seed) &+ 29)
        var map = RowMultimap()
        var reference: [Int32: UInt64] = [:]
        for step in 0..<3_000 {
            if reference.isEmpty || Int.random(in: 0..<3, using: &random) > 0 {
                let row = Int32(step)
                // Five keys for thousands of rows: every key holds many.
                let hash = UInt64.random(in: 0..<5, using: &random) &* 0x9E37_79B9_7F4A_7C15
                map.insert(hash, row: row)
                reference[row] = hash
            } else {
                let (row, hash) = reference.randomElement(using: &random)!
                let removed = map.remove(hash, row: row)
                let again = map.remove(hash, row: row)
                let elsewhere = map.remove(hash &+ 1, row: row)
                #expect(removed && !again && !elsewhere)
                reference[row] = nil
            }
            if step % 97 == 0 || step > 2_950 {
                #expect(map.count == reference.count)
                for hash in Set(reference.values) {
                    var seen: [Int32] = []
                    map.forEach(hash) { seen.append($0) }
                    #expect(seen.sorted() == reference.filter { $0.value == hash }.map(\.key).sorted())
                }
            }
        }
        // Equal to a map filed in another order, unequal once one row differs.
        var rebuilt = RowMultimap()
        for (row, hash) in reference.sorted(by: { $0.key > $1.key }) { rebuilt.insert(hash, row: row) }
        #expect(rebuilt == map)
        let (row, hash) = reference.first!
        rebuilt.remove(hash, row: row)
        rebuilt.insert(hash, row: row &+ 100_000)
        #expect(rebuilt != map)
    }
}
