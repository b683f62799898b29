import Foundation
import Glibc

/// An append-only, checksummed journal with group commit on a dedicated writer thread.
///
/// Appends are queued in call order; the writer takes everything queued, writes it with one
/// `write`, makes it durable with one `fdatasync`, then completes every append of the batch.
/// Concurrent writers therefore share one fsync.
public final class Journal: @unchecked Sendable {
    /// What `open` found on disk.
    public struct Recovery: Sendable {
        /// Every valid record's payload, in sequence order.
        public var payloads: [[UInt8]]
        /// The last sequence number on disk (0 for an empty journal).
        public var lastSequence: UInt64
        /// Bytes cut off a torn tail, if the last write was interrupted.
        public var truncatedBytes: Int
    }

    /// The journal file.
    public let path: String
    private let fd: Int32
    private let condition = NSCondition()
    private var queue: [(payloads: @Sendable () -> [[UInt8]], completion: @Sendable (Result<UInt64, StoreError>) -> Void)] = []
    private var running = true
    private var failed: StoreError?
    private var sequence: UInt64
    private var length: Int
    private var thread: Thread?
    /// Records written, fsyncs done (for tests and benchmarks).
    public private(set) var recordsWritten = 0
    /// fsyncs done.
    public private(set) var syncs = 0

    private init(path: String, fd: Int32, sequence: UInt64, length: Int) {
        self.path = path
        self.fd = fd
        self.sequence = sequence
        self.length = length
    }

    /// Opens (or creates) `<directory>/journal.log`, verifies it, cuts a torn tail, and starts the writer.
    public static func open(directory: String) throws(StoreError) -> (Journal, Recovery) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.unavailable, "cannot create \(directory): \(error.localizedDescription)")
        }
        let path = (directory as NSString).appendingPathComponent("journal.log")
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError(.unavailable, "cannot open: \(String(cString: strerror(errno)))", path: path) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { Glibc.close(fd); throw StoreError(.unavailable, "cannot read: \(String(cString: strerror(errno)))", path: path) }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        let parsed: (records: [(sequence: UInt64, payload: [UInt8])], validLength: Int, tornAt: Int?)
        do {
            parsed = try JournalFormat.parse(bytes, path: path, expectedSequence: 1)
        } catch {
            Glibc.close(fd)
            throw error
        }
        var length = parsed.validLength
        if length < JournalFormat.fileHeaderSize {
            // New or never completed: write the header.
            let header = JournalFormat.magic + [0, 0, 0, UInt8(JournalFormat.version)]
            guard ftruncate(fd, 0) == 0, pwrite(fd, header, header.count, 0) == header.count, fdatasync(fd) == 0 else {
                Glibc.close(fd)
                throw StoreError(.unavailable, "cannot initialise: \(String(cString: strerror(errno)))", path: path)
            }
            length = header.count
        } else if parsed.tornAt != nil {
            guard ftruncate(fd, off_t(length)) == 0, fdatasync(fd) == 0 else {
                Glibc.close(fd)
                throw StoreError(.unavailable, "cannot cut the torn tail: \(String(cString: strerror(errno)))", path: path, offset: length)
            }
        }
        lseek(fd, off_t(length), SEEK_SET)
        let last = parsed.records.last?.sequence ?? 0
        let journal = Journal(path: path, fd: fd, sequence: last, length: length)
        journal.start()
        let truncated = parsed.tornAt.map { bytes.count - $0 } ?? 0
        return (journal, Recovery(payloads: parsed.records.map(\.payload), lastSequence: last, truncatedBytes: truncated))
    }

    /// Queues records; `payloads` runs on the writer thread (encode there, not under the
    /// caller's lock). `completion` runs on the writer thread once they are durable, with the
    /// last sequence number, or with `.unavailable` when they could not be written.
    public func append(
        _ payloads: @escaping @Sendable () -> [[UInt8]], completion: @escaping @Sendable (Result<UInt64, StoreError>) -> Void
    ) {
        self.condition.lock()
        self.queue.append((payloads, completion))
        self.condition.signal()
        self.condition.unlock()
    }

    /// Writes what is queued, then stops the writer and closes the file.
    public func close() {
        self.condition.lock()
        self.running = false
        self.condition.signal()
        self.condition.unlock()
        while self.thread?.isFinished == false { usleep(1_000) }  // joining the writer, bounded by its last batch
        Glibc.close(self.fd)
    }

    private func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "findreviewer-journal"
        self.thread = thread
        thread.start()
    }

    private func run() {
        while true {
            self.condition.lock()
            while self.queue.isEmpty && self.running { self.condition.wait() }
            let batch = self.queue
            self.queue.removeAll()
            let stop = !self.running && batch.isEmpty
            self.condition.unlock()
            if stop { return }
            self.write(batch)
        }
    }

    private func write(_ batch: [(payloads: @Sendable () -> [[UInt8]], completion: @Sendable (Result<UInt64, StoreError>) -> Void)]) {
        if let failed = self.failed {
            for item in batch { item.completion(.failure(failed)) }
            return
        }
        var bytes: [UInt8] = []
        var sequence = self.sequence
        var lasts: [UInt64] = []
        for item in batch {
            for payload in item.payloads() {
                sequence += 1
                bytes += JournalFormat.record(sequence: sequence, payload: payload)
            }
            lasts.append(sequence)
        }
        var written = 0
        var error: Int32 = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { pwrite(self.fd, $0.baseAddress! + written, $0.count - written, off_t(self.length + written)) }
            if count < 0 {
                if errno == EINTR { continue }
                error = errno
                break
            }
            written += count
        }
        if error == 0 && fdatasync(self.fd) != 0 { error = errno }
        if error != 0 {
            // Nothing of this batch is acknowledged: cut it off so the file ends at the last good record.
            let reason = StoreError(.unavailable, "journal write failed: \(String(cString: strerror(error)))", path: self.path, offset: self.length)
            if ftruncate(self.fd, off_t(self.length)) != 0 || fdatasync(self.fd) != 0 {
                // The file can no longer be trusted to match what was acknowledged: refuse all writes.
                self.failed = StoreError(.unavailable, "journal is in an unknown state after a failed write; restart the server", path: self.path, offset: self.length)
            }
            for item in batch { item.completion(.failure(reason)) }
            return
        }
        self.length += bytes.count
        self.sequence = sequence
        self.recordsWritten += lasts.count
        self.syncs += 1
        for (item, last) in zip(batch, lasts) { item.completion(.success(last)) }
    }
}
