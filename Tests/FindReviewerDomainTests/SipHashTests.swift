@testable import FindReviewerDomain
import Testing

@Suite("SipHash: the row indexes' keyed hash")
struct SipHashTests {
    /// The reference key of the SipHash paper: bytes 00 01 … 0f.
    static let referenceKey: (UInt64, UInt64) = (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908)

    static func hash(_ bytes: [UInt8], rounds: (Int, Int), key: (UInt64, UInt64) = referenceKey) -> UInt64 {
        bytes.withUnsafeBytes { SipHash.hash($0, key: key, compressionRounds: rounds.0, finalizationRounds: rounds.1) }
    }

    @Test("with 2-4 rounds it gives the paper's test vectors (empty, 15 bytes 00…0e, 8 and 63 bytes of the reference table)")
    func referenceVectors() {
        #expect(Self.hash([], rounds: (2, 4)) == 0x726f_db47_dd0e_0e31)
        #expect(Self.hash(Array(0..<15), rounds: (2, 4)) == 0xa129_ca61_49be_45e5)
        // vectors_sip64[8] and [63] of the reference implementation, read as little-endian words.
        #expect(Self.hash(Array(0..<8), rounds: (2, 4)) == 0x93f5_f579_9a93_2462)
        #expect(Self.hash(Array(0..<63), rounds: (2, 4)) == 0x958a_324c_eb06_4572)
    }

    @Test("1-3 rounds (what the indexes use) differ from 2-4; every length 0…40 hashes apart; the key matters")
    func roundsLengthsAndKey() {
        #expect(Self.hash(Array(0..<15), rounds: (1, 3)) != Self.hash(Array(0..<15), rounds: (2, 4)))
        var seen = Set<UInt64>()
        for length in 0...40 { seen.insert(Self.hash(Array(repeating: 0, count: length), rounds: (1, 3))) }
        #expect(seen.count == 41)
        #expect(Self.hash(Array(0..<15), rounds: (1, 3), key: (1, 2)) != Self.hash(Array(0..<15), rounds: (1, 3), key: (1, 3)))
    }

    @Test("a row index's hashes: the same bytes hash alike from a String and from packed UTF-8; pairs depend on both keys and their order")
    func indexHashes() {
        var id = "business-ä-42"
        let fromString = RowIndex.hash(id)
        let fromBytes = id.withUTF8 { RowIndex.hash(utf8: $0) }
        #expect(fromString == fromBytes)
        #expect(RowIndex.hash("business-1") != RowIndex.hash("business-2"))
        #expect(RowIndex.hash("a", "b") != RowIndex.hash("b", "a"))
        #expect(RowIndex.hash("ab", "c") != RowIndex.hash("a", "bc"))
        #expect(StoredToken("shard-1." + String(repeating: "ab", count: 24)).indexHash != StoredToken("shard-2." + String(repeating: "ab", count: 24)).indexHash)
        #expect(StoredToken(String(repeating: "0f", count: 24)).indexHash == StoredToken(String(repeating: "0f", count: 24)).indexHash)
    }
}
