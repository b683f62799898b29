@testable import FindReviewerDomain
import Testing

@Suite("Row index: removal keeps every other row findable")
struct RowIndexTests {
    @Test("random inserts and removals, with hashes crowded into one shard and one probe run, agree with a dictionary", arguments: 0..<4)
    func againstADictionary(seed: Int) {
        var random = SeededGenerator(state: UInt64(seed) &+ 11)
        var index = RowIndex()
        var reference: [Int32: UInt64] = [:]
        for step in 0..<3_000 {
            if reference.isEmpty || Int.random(in: 0..<3, using: &random) > 0 {
                let row = Int32(step)
                // Few distinct upper bits: long probe runs, duplicate tags, wrap-around at the end.
                let hash = (UInt64.random(in: 0..<8, using: &random) << 60) | (UInt64.random(in: 0..<40, using: &random) << 32)
                index.insert(hash, row: row)
                reference[row] = hash
            } else {
                let (row, hash) = reference.randomElement(using: &random)!
                let removed = index.remove(hash, row: row)
                let again = index.remove(hash, row: row)
                #expect(removed && !again)
                reference[row] = nil
            }
            if step % 97 == 0 || step > 2_900 {
                #expect(index.count == reference.count)
                for (row, hash) in reference {
                    #expect(index.find(hash) { $0 == row } == row)
                    var seen: [Int32] = []
                    index.forEach(hash) { seen.append($0) }
                    #expect(seen.contains(row))
                }
            }
        }
        // The same as an index that never held the removed rows.
        var rebuilt = RowIndex()
        for (row, hash) in reference.sorted(by: { $0.key < $1.key }) { rebuilt.insert(hash, row: row) }
        #expect(rebuilt == index)
    }
}
