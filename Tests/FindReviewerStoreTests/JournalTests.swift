import CSystemShims
import Foundation
@testable import FindReviewerStore
import Testing

@Suite("Journal: format, torn tails, corruption, group commit (DESIGN.md §5)")
struct JournalTests {
    static func makeDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Appends `payloads` one append each, waiting for durability.
    static func appendAll(_ journal: Journal, _ payloads: [[UInt8]]) {
        let done = DispatchSemaphore(value: 0)
        for payload in payloads {
            journal.append({ [payload] }) { result in
                if case .failure(let error) = result { Issue.record("append failed: \(error)") }
                done.signal()
            }
        }
        for _ in payloads { done.wait() }
    }

    static let payloads: [[UInt8]] = (1...5).map { Array("event number \($0) {\"x\":\($0)}".utf8) }

    @Test("what was appended is recovered, in order, with consecutive sequence numbers")
    func roundTrip() throws {
        let directory = Self.makeDirectory()
        let (journal, empty) = try Journal.open(directory: directory)
        #expect(empty.payloads.isEmpty)
        Self.appendAll(journal, Self.payloads)
        journal.close()
        let (again, recovery) = try Journal.open(directory: directory)
        #expect(recovery.payloads == Self.payloads)
        #expect(recovery.lastSequence == 5)
        #expect(recovery.truncatedBytes == 0)
        Self.appendAll(again, [Array("six".utf8)])
        again.close()
        #expect(try Journal.open(directory: directory).1.lastSequence == 6)
    }

    @Test("a torn tail of every length is cut off; everything before it survives")
    func tornTails() throws {
        let directory = Self.makeDirectory()
        let (journal, _) = try Journal.open(directory: directory)
        Self.appendAll(journal, Self.payloads)
        journal.close()
        let path = (directory as NSString).appendingPathComponent("00000000000000000001.log")
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        let lastRecord = JournalFormat.record(sequence: 5, payload: Self.payloads[4]).count
        for cut in 1..<lastRecord {
            try full.prefix(full.count - cut).write(to: URL(fileURLWithPath: path))
            let (reopened, recovery) = try Journal.open(directory: directory)
            reopened.close()
            #expect(recovery.payloads == Array(Self.payloads.prefix(4)), "cut \(cut)")
            // What is left of the record is cut off, unless it is only zeros (the high bytes
            // of its length): zeros after a record are the segment's clean end (JournalFormat).
            let left = full.suffix(from: full.count - lastRecord).prefix(lastRecord - cut)
            #expect(recovery.truncatedBytes == (left.allSatisfy { $0 == 0 } ? 0 : lastRecord - cut), "cut \(cut)")
        }
        // Zeros after the records (what the writer fills ahead) are the clean end, not a torn
        // tail; the next record is written over them and read back.
        try (full + Data(count: 4_096)).write(to: URL(fileURLWithPath: path))
        let (reopened, recovery) = try Journal.open(directory: directory)
        #expect(recovery.payloads == Self.payloads)
        #expect(recovery.truncatedBytes == 0)
        Self.appendAll(reopened, [Array("six".utf8)])
        reopened.close()
        #expect(try Journal.open(directory: directory).1.payloads == Self.payloads + [Array("six".utf8)])
        // A record torn over those zeros (its first bytes written, the rest still zero) is torn.
        var torn = full + JournalFormat.record(sequence: 6, payload: Array("six".utf8)).prefix(9)
        torn += Data(count: 4_096)
        try torn.write(to: URL(fileURLWithPath: path))
        let (again, tornRecovery) = try Journal.open(directory: directory)
        again.close()
        #expect(tornRecovery.payloads == Self.payloads)
        #expect(tornRecovery.truncatedBytes == 9 + 4_096)
    }

    @Test("the writer fills zeros ahead of its records while open and a closed segment ends at its last record")
    func zerosAhead() throws {
        let directory = Self.makeDirectory()
        let (journal, _) = try Journal.open(directory: directory)
        Self.appendAll(journal, Self.payloads)
        let path = (directory as NSString).appendingPathComponent("00000000000000000001.log")
        let exact = JournalFormat.fileHeaderSize + Self.payloads.enumerated().reduce(0) {
            $0 + JournalFormat.record(sequence: UInt64($1.offset + 1), payload: $1.element).count
        }
        let open = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(open >= Journal.preparedStep && open > exact)
        journal.close()
        let closed = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(closed == exact)
        #expect(try Journal.open(directory: directory).1.payloads == Self.payloads)
    }

    @Test("a flipped byte in any position of a middle record stops recovery, naming file and offset")
    func corruptionInTheMiddle() throws {
        let directory = Self.makeDirectory()
        let (journal, _) = try Journal.open(directory: directory)
        Self.appendAll(journal, Self.payloads)
        journal.close()
        let path = (directory as NSString).appendingPathComponent("00000000000000000001.log")
        let full = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let recordSize = JournalFormat.record(sequence: 2, payload: Self.payloads[1]).count
        let second = JournalFormat.fileHeaderSize + JournalFormat.record(sequence: 1, payload: Self.payloads[0]).count
        for position in second..<(second + recordSize) {
            var damaged = full
            damaged[position] ^= 0x40
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self, "byte \(position)") { _ = try Journal.open(directory: directory) }
            #expect(error?.code == .corrupt)
            #expect(error?.path == path)
            #expect(error?.offset == second, "byte \(position)")
        }
    }

    @Test("an unknown format version or a foreign file stops the start")
    func versions() throws {
        let directory = Self.makeDirectory()
        let path = (directory as NSString).appendingPathComponent("00000000000000000001.log")
        try Data(JournalFormat.magic + [0, 0, 0, 9]).write(to: URL(fileURLWithPath: path))
        #expect((#expect(throws: StoreError.self) { _ = try Journal.open(directory: directory) })?.code == .unsupportedVersion)
        try Data("hello, not a journal".utf8).write(to: URL(fileURLWithPath: path))
        #expect((#expect(throws: StoreError.self) { _ = try Journal.open(directory: directory) })?.code == .corrupt)
    }

    @Test("50 concurrent appenders share fsyncs and get consecutive sequence numbers")
    func groupCommit() throws {
        let directory = Self.makeDirectory()
        let (journal, _) = try Journal.open(directory: directory)
        let sequences = Sequences()
        // concurrentPerform would use one thread per core (two here): start
        // 50 real threads so that 50 appenders really wait at the same time.
        let finished = DispatchGroup()
        for worker in 0..<50 {
            finished.enter()
            Thread {
                for index in 0..<20 {
                    let done = DispatchSemaphore(value: 0)
                    journal.append({ [Array("w\(worker)-\(index)".utf8)] }) { result in
                        if case .success(let sequence) = result { sequences.add(sequence) }
                        done.signal()
                    }
                    done.wait()
                }
                finished.leave()
            }.start()
        }
        finished.wait()
        #expect(sequences.sorted == Array(1...1_000))
        #expect(journal.recordsWritten == 1_000)
        #expect(journal.syncs < 1_000, "fsyncs: \(journal.syncs)")
        journal.close()
        #expect(try Journal.open(directory: directory).1.payloads.count == 1_000)
    }

    @Test("a commit that finds another thread writing hands its batch to the writer thread; the writing thread does not write it after its own")
    func commitHandsOffWhileAnotherWrites() throws {
        let directory = Self.makeDirectory()
        let (journal, _) = try Journal.open(directory: directory)
        defer { journal.close() }
        // The first batch stops between its write and its fdatasync until released: a slow sync.
        let inWrite = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let batches = Sequences()
        journal.injectWriteFault {
            batches.add(0)
            if batches.sorted.count == 1 {
                inWrite.signal()
                release.wait()
            }
            return nil
        }
        let writers = ThreadNames()
        let holderDone = DispatchSemaphore(value: 0)
        let holder = Thread {
            journal.append(count: 1, { [Array("first".utf8)] }, committedByCaller: true) { _ in writers.add("first", ThreadNames.current) }
            journal.commit()
            writers.add("holder returned", ThreadNames.current)
            holderDone.signal()
        }
        holder.start()
        inWrite.wait()
        let second = DispatchSemaphore(value: 0)
        journal.append(count: 1, { [Array("second".utf8)] }, committedByCaller: true) { result in
            if case .failure(let error) = result { Issue.record("second append failed: \(error)") }
            writers.add("second", ThreadNames.current)
            second.signal()
        }
        // Returns at once although the holder is still in its batch.
        journal.commit()
        #expect(writers.names["second"] == nil)
        release.signal()
        second.wait()
        holderDone.wait()
        let names = writers.names
        #expect(names["first"] == names["holder returned"])
        // Neither the holder nor the caller of the second commit: the journal's writer thread.
        #expect(names["second"] != nil && names["second"] != names["holder returned"])
        #expect(names["second"] != ThreadNames.current)
        #expect(batches.sorted.count == 2)
        #expect(journal.syncs == 2)
    }

    @Test("CRC-32C matches the standard check value")
    func crc() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(Array("123456789".utf8).withUnsafeBytes { cshim_crc32c_portable(0, $0.baseAddress, $0.count) } == 0xE306_9283)
        // The instruction path and the table agree on every length and alignment, and when continued.
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for length in [0, 1, 7, 8, 9, 63, 64, 65, 1_000, 4_000] where start + length <= all.count {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == cshim_crc32c_portable(0, slice.baseAddress, slice.count))
                    #expect(CRC32C.checksum(slice, continuing: 0x1234_5678) == cshim_crc32c_portable(0x1234_5678, slice.baseAddress, slice.count))
                }
            }
        }
    }
}

final class Sequences: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [UInt64] = []
    func add(_ value: UInt64) { self.lock.withLock { self.values.append(value) } }
    var sorted: [UInt64] { self.lock.withLock { self.values.sorted() } }
}

/// Which thread did what (the identity of the thread each event ran on).
final class ThreadNames: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]
    func add(_ event: String, _ thread: String) { self.lock.withLock { self.values[event] = thread } }
    var names: [String: String] { self.lock.withLock { self.values } }
    /// The calling thread's identity (Foundation's `Thread.name` does not reach the kernel or `Thread.current` here).
    static var current: String {
        String(UInt(pthread_self()))
    }
}

/// The scheduling the snapshot writer gives its thread (Storage.takeSnapshot).
@Suite("Thread scheduling of a snapshot writer")
struct ThreadSchedulingTests {
    @Test("a snapshot thread's scheduling: nice 19 and, where the kernel takes one, a 100 µs slice, on that thread only")
    func niceAndSliceOnOneThread() throws {
        final class Seen: @unchecked Sendable { var value: (result: Int32, nice: Int32, slice: String?)? }
        let outcome = Seen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let result = cshim_nice_and_slice_this_thread(19, 100_000)
            errno = 0
            let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            let sched = (try? String(contentsOfFile: "/proc/thread-self/sched", encoding: .utf8)) ?? ""
            let slice = sched.split(separator: "\n").first { $0.hasPrefix("se.slice") }?.split(separator: ":").last?
                .trimmingCharacters(in: .whitespaces)
            outcome.value = (result, nice, slice)
            done.signal()
        }
        thread.start()
        done.wait()
        let seen = try #require(outcome.value)
        #expect(seen.result >= 0)
        #expect(seen.nice == 19)
        if seen.result == 1, let slice = seen.slice { #expect(slice == "100000") }
        // This thread keeps its own scheduling.
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) != 19)
    }
}
