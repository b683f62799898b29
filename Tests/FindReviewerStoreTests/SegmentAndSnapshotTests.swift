import Foundation
@testable import FindReviewerStore
import Testing

@Suite("Journal segments and snapshot files (DESIGN.md §5)")
struct SegmentAndSnapshotTests {
    static func payload(_ number: Int) -> [UInt8] { Array("event \(number)".utf8) }

    static func rotate(_ journal: Journal) throws -> UInt64 {
        let done = DispatchSemaphore(value: 0)
        let outcome = Sequences()
        let sequence = journal.rotate { result in
            if case .success(let last) = result { outcome.add(last) }
            done.signal()
        }
        done.wait()
        #expect(outcome.sorted == [sequence])
        return sequence
    }

    @Test("rotation starts a new segment; a snapshot's sequence removes what it covers; the rest recovers after it")
    func rotation() throws {
        let directory = JournalTests.makeDirectory()
        let (journal, _) = try Journal.open(directory: directory)
        JournalTests.appendAll(journal, (1...3).map(Self.payload))
        #expect(try Self.rotate(journal) == 3)
        JournalTests.appendAll(journal, (4...5).map(Self.payload))
        #expect(try Self.rotate(journal) == 5)
        JournalTests.appendAll(journal, [Self.payload(6)])
        #expect(Journal.segments(in: directory).map(\.first) == [1, 4, 6])
        // Rotating an empty segment keeps it.
        #expect(try Self.rotate(journal) == 6)
        #expect(try Self.rotate(journal) == 6)
        #expect(Journal.segments(in: directory).map(\.first) == [1, 4, 6, 7])
        journal.removeSegments(through: 3)
        #expect(Journal.segments(in: directory).map(\.first) == [4, 6, 7])
        journal.close()
        let (reopened, recovery) = try Journal.open(directory: directory, after: 3)
        #expect(recovery.payloads == (4...6).map(Self.payload))
        #expect(recovery.lastSequence == 6)
        JournalTests.appendAll(reopened, [Self.payload(7)])
        reopened.close()
        // Opening after sequence 5 removes the segment wholly covered (a crash before removal).
        let (again, later) = try Journal.open(directory: directory, after: 5)
        again.close()
        #expect(later.payloads == [Self.payload(6), Self.payload(7)])
        #expect(Journal.segments(in: directory).map(\.first) == [6, 7])
    }

    @Test("a missing segment, or damage in a segment that is not the last, stops the start")
    func gaps() throws {
        let directory = JournalTests.makeDirectory()
        let (journal, _) = try Journal.open(directory: directory)
        JournalTests.appendAll(journal, (1...3).map(Self.payload))
        _ = try Self.rotate(journal)
        JournalTests.appendAll(journal, (4...5).map(Self.payload))
        journal.close()
        let first = (directory as NSString).appendingPathComponent("00000000000000000001.log")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        try bytes.prefix(bytes.count - 2).write(to: URL(fileURLWithPath: first))
        let torn = #expect(throws: StoreError.self) { _ = try Journal.open(directory: directory) }
        #expect(torn?.code == .corrupt)
        #expect(torn?.path == first)
        try FileManager.default.removeItem(atPath: first)
        let missing = #expect(throws: StoreError.self) { _ = try Journal.open(directory: directory) }
        #expect(missing?.code == .corrupt)
        #expect(missing?.message.contains("1 to 3 are missing") == true)
        // With a snapshot at 3, nothing is missing.
        let (journal2, recovery) = try Journal.open(directory: directory, after: 3)
        journal2.close()
        #expect(recovery.payloads == [Self.payload(4), Self.payload(5)])
    }

    static func writeSnapshot(_ directory: String, sequence: UInt64, items: [[UInt8]]) throws -> String {
        try SnapshotFile.write(directory: directory, sequence: sequence) { emit throws(StoreError) in
            for item in items { try emit(item) }
        }.path
    }

    static func read(_ path: String) throws -> (UInt64, [[UInt8]]) {
        var items: [[UInt8]] = []
        let (sequence, _) = try SnapshotFile.read(path) { items.append(Array($0)) }
        return (sequence, items)
    }

    @Test("a snapshot round-trips; temporary leftovers are removed; newest first")
    func snapshotRoundTrip() throws {
        let directory = JournalTests.makeDirectory()
        let items = (0..<1_000).map { Array("item \($0) ".utf8) + [UInt8](repeating: UInt8($0 % 251), count: $0 % 300) }
        let path = try Self.writeSnapshot(directory, sequence: 42, items: items)
        _ = try Self.writeSnapshot(directory, sequence: 7, items: [])
        FileManager.default.createFile(atPath: (directory as NSString).appendingPathComponent("00000000000000000050.snap.tmp"), contents: Data([1, 2]))
        #expect(SnapshotFile.list(directory).map(\.sequence) == [42, 7])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }.isEmpty)
        let (sequence, read) = try Self.read(path)
        #expect(sequence == 42)
        #expect(read == items)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("any flipped byte or cut in a snapshot is an error naming the file and an offset; unknown versions too")
    func snapshotDamage() throws {
        let directory = JournalTests.makeDirectory()
        let items = (0..<20).map { Array("item number \($0)".utf8) }
        let path = try Self.writeSnapshot(directory, sequence: 9, items: items)
        let full = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for position in 0..<full.count {
            var damaged = full
            damaged[position] ^= 0x01
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self, "byte \(position)") { _ = try Self.read(path) }
            #expect(error?.path == path)
            #expect(error?.code == .corrupt, "byte \(position)")
        }
        for cut in [1, 5, 30, full.count - SnapshotFile.headerSize, full.count - 1] {
            try Data(full.prefix(full.count - cut)).write(to: URL(fileURLWithPath: path))
            #expect((#expect(throws: StoreError.self) { _ = try Self.read(path) })?.code == .corrupt, "cut \(cut)")
        }
        // A version this build does not know, with a valid header checksum.
        var future = Array(full.prefix(32))
        future[7] = 2
        JournalFormat.append(CRC32C.checksum(future), to: &future)
        try Data(future + full.dropFirst(36)).write(to: URL(fileURLWithPath: path))
        let version = #expect(throws: StoreError.self) { _ = try Self.read(path) }
        #expect(version?.code == .unsupportedVersion)
        #expect(version?.offset == 4)
    }
}
