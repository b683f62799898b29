import Foundation
import Glibc

/// An append-only, checksummed journal with group commit.
///
/// Appends are queued in call order; a writer takes everything queued, writes it with one
/// `write`, makes it durable with one `fdatasync`, then completes every append of the batch.
/// Concurrent writers therefore share one fsync. The writer is either the caller itself
/// (``commit()``, e.g. an event loop once per iteration for all the calls it read in that
/// iteration, as Redis does) or the journal's own thread (every other append, and the batch of
/// a ``commit()`` that finds another batch being written). One batch is written at a time
/// (`writeLock`); whoever writes takes everything queued, from any thread.
///
/// The journal is a chain of segment files `<first sequence, 20 digits>.log` in one directory.
/// ``rotate(completion:)`` starts a new segment at a known sequence, so that a snapshot taken
/// at that sequence can remove the segments before it.
///
/// A failed write is never treated as if it had succeeded: the file is cut back to the last
/// durable record, ``onFailure`` runs on the writing thread (the owner rebuilds its state from
/// disk there), and every append queued before the owner called ``resume()`` fails too,
/// because it was computed from state that is no longer true.
public final class Journal: @unchecked Sendable {
    /// What `open` found on disk.
    public struct Recovery: Sendable {
        /// Payloads of the records after the snapshot sequence given to `open`, in order.
        public var payloads: [[UInt8]]
        /// The last sequence number on disk (the snapshot's when the journal after it is empty).
        public var lastSequence: UInt64
        /// Bytes cut off a torn tail, if the last write was interrupted.
        public var truncatedBytes: Int
        /// Segment files read.
        public var segments: Int
    }

    private enum Item {
        case append(count: Int, payloads: @Sendable () -> [[UInt8]], completion: @Sendable (Result<UInt64, StoreError>) -> Void, epoch: Int)
        case rotate(completion: @Sendable (Result<UInt64, StoreError>) -> Void, epoch: Int)
    }

    /// The segment directory.
    public let directory: String
    /// The segment being appended to.
    public private(set) var path: String
    private var fd: Int32
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var running = true
    /// Set by appends that the writer thread must write (not left to a ``commit()``).
    private var signalled = false
    /// Held while a batch is written, fsynced and completed; guards the writer-side state
    /// below (`failed`, `brokenEpoch`, `sequence`, the counters).
    private let writeLock = NSLock()
    /// Set when the file may no longer match what was acknowledged: every later write fails.
    private var failed: StoreError?
    /// Incremented by `resume()`; items queued under an older epoch fail after a failure.
    private var epoch = 0
    private var brokenEpoch: Int?
    private var sequence: UInt64
    /// Sequence numbers handed out to queued appends (under `condition`).
    private var queuedSequence: UInt64
    private var length: Int
    /// Bytes of the current segment that exist on disk: the records (`length`) and the zeros
    /// written ahead of them (JournalFormat: a sync that overwrites needs no inode write).
    private var prepared: Int
    /// Zeros are written ahead in steps of this many bytes.
    static let preparedStep = 1 << 20
    private static let zeros = [UInt8](repeating: 0, count: Journal.preparedStep)
    private var thread: Thread?
    /// Signalled by the writer thread as it ends: ``close()`` joins it by waiting here.
    private let writerEnded = DispatchSemaphore(value: 0)
    /// Called on the writing thread (under `writeLock`) after a failed write, before the failed appends complete.
    /// The owner rebuilds what it derived from the failed appends, then calls `resume()`.
    public var onFailure: (@Sendable (StoreError) -> Void)?
    /// What each group commit did, for metrics; called on the writing thread under the write
    /// lock (so calls never overlap). Set before the first append.
    public var observer: (@Sendable (JournalWrite) -> Void)?
    /// Failure injection for tests: asked once per batch after its bytes are written; an errno
    /// makes the batch fail as that write error would (cut back, ``onFailure``, appends fail).
    private var writeFault: (@Sendable () -> Int32?)?
    /// Appends made durable (one append may hold several records; ``observer`` sees records).
    public private(set) var recordsWritten = 0
    /// fsyncs done.
    public private(set) var syncs = 0
    /// Nanoseconds spent in fdatasync, in total (benchmarks).
    public private(set) var syncNanoseconds: UInt64 = 0
    /// Bytes in the current segment (snapshot policy).
    public var segmentBytes: Int { self.condition.withLock { self.length } }
    /// True after a failed write, until a write succeeds again.
    public var isDegraded: Bool { self.condition.withLock { self.degraded } }
    private var degraded = false

    private init(directory: String, path: String, fd: Int32, sequence: UInt64, length: Int, prepared: Int) {
        self.directory = directory
        self.path = path
        self.fd = fd
        self.sequence = sequence
        self.queuedSequence = sequence
        self.length = length
        self.prepared = max(length, prepared)
    }

    // MARK: opening

    static func segmentName(_ first: UInt64) -> String {
        let digits = String(first)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }

    /// Segment files in `directory` with their first sequence numbers, oldest first.
    static func segments(in directory: String) -> [(first: UInt64, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> (UInt64, String)? in
            guard name.hasSuffix(".log"), name.count == 24, let first = UInt64(name.prefix(20)) else { return nil }
            return (first, (directory as NSString).appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    static func readFile(_ path: String) throws(StoreError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(.unavailable, "cannot read: \(String(cString: strerror(errno)))", path: path)
        }
        return [UInt8](data)
    }

    private struct Scan {
        var payloads: [[UInt8]] = []
        var last: UInt64
        var segments = 0
        /// The last segment: its path, its valid length, where a torn tail starts (if any), its size.
        var tail: (first: UInt64, path: String, validLength: Int, tornAt: Int?, size: Int)?
        /// Segments wholly covered by the snapshot.
        var covered: [String] = []
    }

    /// Reads and verifies every segment after `snapshotSequence`.
    private static func scan(directory: String, after snapshotSequence: UInt64) throws(StoreError) -> Scan {
        let all = self.segments(in: directory)
        var scan = Scan(last: snapshotSequence)
        // Segments whose successor starts at or before snapshot+1 hold only what the snapshot has.
        var start = 0
        while start + 1 < all.count && all[start + 1].first <= snapshotSequence + 1 {
            scan.covered.append(all[start].path)
            start += 1
        }
        guard start < all.count else { return scan }
        if all[start].first > snapshotSequence + 1 {
            throw StoreError(
                .corrupt, "journal records \(snapshotSequence + 1) to \(all[start].first - 1) are missing", path: all[start].path)
        }
        for index in start..<all.count {
            let (first, path) = all[index]
            let bytes = try self.readFile(path)
            let parsed = try JournalFormat.parse(bytes, path: path, expectedSequence: first)
            let isLast = index == all.count - 1
            if let torn = parsed.tornAt, !isLast {
                throw StoreError(.corrupt, "damaged record in a segment that is not the last", path: path, offset: torn)
            }
            if index > start, first != scan.last + 1 {
                throw StoreError(.corrupt, "segment starts at \(first), expected \(scan.last + 1)", path: path)
            }
            for record in parsed.records where record.sequence > snapshotSequence {
                scan.payloads.append(record.payload)
            }
            scan.last = max(scan.last, parsed.records.last?.sequence ?? first - 1)
            scan.segments += 1
            if isLast { scan.tail = (first, path, parsed.validLength, parsed.tornAt, bytes.count) }
        }
        return scan
    }

    /// Opens the journal in `directory` (creating it), verifies every segment after
    /// `snapshotSequence`, cuts a torn tail off the last one, removes segments the snapshot
    /// covers, and starts the writer.
    public static func open(directory: String, after snapshotSequence: UInt64 = 0) throws(StoreError) -> (Journal, Recovery) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.unavailable, "cannot create \(directory): \(error.localizedDescription)")
        }
        let scan = try self.scan(directory: directory, after: snapshotSequence)
        for path in scan.covered { unlink(path) }
        let tail = scan.tail ?? (scan.last + 1, (directory as NSString).appendingPathComponent(self.segmentName(scan.last + 1)), 0, nil, 0)
        let fd = Glibc.open(tail.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError(.unavailable, "cannot open: \(String(cString: strerror(errno)))", path: tail.path) }
        var length = tail.validLength
        // Zeros after the last record (written ahead; verified by the scan) stay in use.
        var prepared = tail.size
        if length < JournalFormat.fileHeaderSize {
            // New, or never completed: write the header.
            guard ftruncate(fd, 0) == 0, pwrite(fd, JournalFormat.fileHeader, JournalFormat.fileHeaderSize, 0) == JournalFormat.fileHeaderSize,
                fdatasync(fd) == 0
            else {
                Glibc.close(fd)
                throw StoreError(.unavailable, "cannot initialise: \(String(cString: strerror(errno)))", path: tail.path)
            }
            length = JournalFormat.fileHeaderSize
            prepared = length
            Self.syncDirectory(directory)
        } else if tail.tornAt != nil {
            prepared = length
            guard ftruncate(fd, off_t(length)) == 0, fdatasync(fd) == 0 else {
                Glibc.close(fd)
                throw StoreError(.unavailable, "cannot cut the torn tail: \(String(cString: strerror(errno)))", path: tail.path, offset: length)
            }
        }
        let journal = Journal(directory: directory, path: tail.path, fd: fd, sequence: scan.last, length: length, prepared: prepared)
        journal.start()
        let truncated = tail.tornAt.map { tail.size - $0 } ?? 0
        return (journal, Recovery(payloads: scan.payloads, lastSequence: scan.last, truncatedBytes: truncated, segments: scan.segments))
    }

    /// The durable records after `snapshotSequence`, read back from disk. Call it only from
    /// ``onFailure`` (on the writing thread), where nothing else is being written.
    public func durablePayloads(after snapshotSequence: UInt64) throws(StoreError) -> [[UInt8]] {
        try Self.scan(directory: self.directory, after: snapshotSequence).payloads
    }

    /// fsyncs a directory, so that a created, renamed or removed entry in it is durable.
    @discardableResult
    public static func syncDirectory(_ directory: String) -> Bool {
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        return fsync(fd) == 0
    }

    // MARK: appending

    /// Queues `count` records; `payloads` runs on the writing thread (encode there, not under
    /// the caller's lock) and must return `count` payloads. `completion` runs on the writing
    /// thread once they are durable, with the last sequence number, or with `.unavailable`.
    /// Returns the last sequence number the records get: calls made under one lock see
    /// sequence numbers in the order of their calls.
    ///
    /// With `committedByCaller` the writer thread is not woken: the caller promises to call
    /// ``commit()`` soon (an event loop does, before it waits for more events). Another
    /// writer may still take the records first; they are written once either way.
    @discardableResult
    public func append(
        count: Int, _ payloads: @escaping @Sendable () -> [[UInt8]], committedByCaller: Bool = false,
        completion: @escaping @Sendable (Result<UInt64, StoreError>) -> Void
    ) -> UInt64 {
        self.condition.lock()
        defer { self.condition.unlock() }
        self.queuedSequence += UInt64(count)
        self.queue.append(.append(count: count, payloads: payloads, completion: completion, epoch: self.epoch))
        if !committedByCaller {
            self.signalled = true
            self.condition.signal()
        }
        return self.queuedSequence
    }

    /// Writes and fsyncs everything queued on the calling thread and runs the completions
    /// here. When another thread is writing a batch, does not wait: the journal's writer thread
    /// writes what is queued as soon as that batch is done, and the caller's completions run
    /// there. The thread that was writing goes back to its own work after its batch: an event
    /// loop never writes another loop's batch after its own (its connections would wait for a
    /// second fdatasync that is not theirs).
    public func commit() {
        if self.writeLock.try() {
            self.writeHeld()
        } else {
            self.condition.withLock {
                self.signalled = true
                self.condition.signal()
            }
        }
    }

    /// Queues one record per payload (a convenience for tests and tools).
    @discardableResult
    public func append(
        _ payloads: @escaping @Sendable () -> [[UInt8]], count: Int = 1,
        completion: @escaping @Sendable (Result<UInt64, StoreError>) -> Void
    ) -> UInt64 {
        self.append(count: count, payloads, completion: completion)
    }

    /// Queues the start of a new segment after everything queued so far. Returns the last
    /// sequence number before it; `completion` runs once every record up to it is durable and
    /// the new segment exists, or with an error (then a snapshot at that sequence must not
    /// remove anything).
    public func rotate(completion: @escaping @Sendable (Result<UInt64, StoreError>) -> Void) -> UInt64 {
        self.condition.lock()
        defer { self.condition.unlock() }
        self.queue.append(.rotate(completion: completion, epoch: self.epoch))
        self.signalled = true
        self.condition.signal()
        return self.queuedSequence
    }

    /// Installs (or with nil removes) a failure injection: see `writeFault`. Tests only.
    public func injectWriteFault(_ fault: (@Sendable () -> Int32?)?) {
        self.condition.withLock { self.writeFault = fault }
    }

    /// Accepts appends again after a failure; call it from ``onFailure`` once the owner's state
    /// matches the disk. Appends queued before this call still fail.
    public func resume() {
        self.condition.lock()
        self.epoch += 1
        self.queuedSequence = self.sequence
        self.condition.unlock()
    }

    /// Removes the segments that end at or before `sequence` (a snapshot covers them).
    public func removeSegments(through sequence: UInt64) {
        let current = self.condition.withLock { self.path }
        let all = Self.segments(in: self.directory)
        for (index, segment) in all.enumerated() where segment.path != current {
            let next = index + 1 < all.count ? all[index + 1].first : UInt64.max
            if next <= sequence + 1 { unlink(segment.path) }
        }
        Self.syncDirectory(self.directory)
    }

    /// Whether the file system has room again (after a failure: "disk full").
    public func hasSpace(atLeast bytes: Int = 64 << 10) -> Bool {
        var stats = statvfs()
        guard fstatvfs(self.fd, &stats) == 0 else { return false }
        return Int(stats.f_bavail) * Int(stats.f_bsize) >= bytes
    }

    /// Writes what is queued, then stops the writer and closes the file.
    public func close() {
        self.condition.lock()
        self.running = false
        self.condition.signal()
        self.condition.unlock()
        // Joins the writer (bounded by its last batch); no polling.
        if self.thread != nil { self.writerEnded.wait() }
        self.thread = nil
        // A segment at rest ends at its last record (the zeros ahead were for the next syncs).
        if self.failed == nil, self.prepared > self.length, ftruncate(self.fd, off_t(self.length)) == 0 { _ = fdatasync(self.fd) }
        Glibc.close(self.fd)
    }

    private func start() {
        let thread = Thread { [self] in
            self.run()
            self.writerEnded.signal()
        }
        thread.name = "findreviewer-journal"
        self.thread = thread
        thread.start()
    }

    private func run() {
        while true {
            self.condition.lock()
            while !self.signalled && self.running { self.condition.wait() }
            self.signalled = false
            let stop = !self.running
            self.condition.unlock()
            if stop {
                // Everything queued before close() is written, whoever queued it.
                while self.writeQueued() {}
                return
            }
            self.writeQueued()
        }
    }

    /// Takes everything queued and writes it (under `writeLock`); false when nothing was queued.
    @discardableResult
    private func writeQueued() -> Bool {
        self.writeLock.lock()
        return self.writeHeld()
    }

    /// Writes what is queued; the caller holds `writeLock`, which this releases.
    @discardableResult
    private func writeHeld() -> Bool {
        defer { self.writeLock.unlock() }
        self.condition.lock()
        let batch = self.queue
        self.queue.removeAll()
        let epoch = self.epoch
        self.condition.unlock()
        if batch.isEmpty { return false }
        self.process(batch, epoch: epoch)
        return true
    }

    private func process(_ batch: [Item], epoch: Int) {
        // Appends are written together; a rotation ends a group.
        var group: [(Int, @Sendable () -> [[UInt8]], @Sendable (Result<UInt64, StoreError>) -> Void)] = []
        for item in batch {
            switch item {
            case .append(let count, let payloads, let completion, let itemEpoch):
                if itemEpoch < epoch || self.brokenEpoch == itemEpoch {
                    completion(.failure(self.failed ?? StoreError(.unavailable, "an earlier write failed; nothing was changed, retry")))
                } else {
                    group.append((count, payloads, completion))
                }
            case .rotate(let completion, let itemEpoch):
                self.write(group)
                group.removeAll()
                if itemEpoch < self.currentEpoch || self.brokenEpoch == itemEpoch || self.failed != nil {
                    completion(.failure(self.failed ?? StoreError(.unavailable, "a write before the snapshot point failed")))
                } else {
                    completion(self.startSegment())
                }
            }
        }
        self.write(group)
    }

    /// The epoch now (it moves when the owner calls `resume()` after a failure).
    private var currentEpoch: Int { self.condition.withLock { self.epoch } }

    private func startSegment() -> Result<UInt64, StoreError> {
        guard self.length > JournalFormat.fileHeaderSize else { return .success(self.sequence) }  // nothing in it yet
        let path = (self.directory as NSString).appendingPathComponent(Self.segmentName(self.sequence + 1))
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .failure(StoreError(.unavailable, "cannot create a segment: \(String(cString: strerror(errno)))", path: path)) }
        guard pwrite(fd, JournalFormat.fileHeader, JournalFormat.fileHeaderSize, 0) == JournalFormat.fileHeaderSize, fdatasync(fd) == 0,
            Self.syncDirectory(self.directory)
        else {
            let reason = StoreError(.unavailable, "cannot start a segment: \(String(cString: strerror(errno)))", path: path)
            Glibc.close(fd)
            unlink(path)
            return .failure(reason)
        }
        // The finished segment ends at its last record (not synced: zeros left by a crash read as its end).
        _ = ftruncate(self.fd, off_t(self.length))
        Glibc.close(self.fd)
        self.condition.withLock {
            self.fd = fd
            self.path = path
            self.length = JournalFormat.fileHeaderSize
        }
        self.prepared = JournalFormat.fileHeaderSize
        return .success(self.sequence)
    }

    private func write(_ group: [(count: Int, payloads: @Sendable () -> [[UInt8]], completion: @Sendable (Result<UInt64, StoreError>) -> Void)]) {
        guard !group.isEmpty else { return }
        if let failed = self.failed {
            for item in group { item.completion(.failure(failed)) }
            return
        }
        var bytes: [UInt8] = []
        var sequence = self.sequence
        var lasts: [UInt64] = []
        let encoded = group.map { item in
            let payloads = item.payloads()
            precondition(payloads.count == item.count, "an append promised \(item.count) records and made \(payloads.count)")
            return payloads
        }
        bytes.reserveCapacity(encoded.reduce(0) { $0 + $1.reduce(0) { $0 + JournalFormat.recordHeaderSize + $1.count } })
        for payloads in encoded {
            for payload in payloads {
                sequence += 1
                JournalFormat.appendRecord(sequence: sequence, payload: payload, to: &bytes)
            }
            lasts.append(sequence)
        }
        var error: Int32 = 0
        if self.length + bytes.count > self.prepared {
            // Zeros ahead, up to the next whole step after the batch: this sync writes the inode
            // (the size grows), the next ones until the step is used up only overwrite.
            let target = (self.length + bytes.count) / Self.preparedStep * Self.preparedStep + Self.preparedStep
            error = self.writeZeros(from: self.prepared, to: target)
            if error == 0 { self.prepared = target }
        }
        var written = 0
        while error == 0 && written < bytes.count {
            let count = bytes.withUnsafeBytes { pwrite(self.fd, $0.baseAddress! + written, $0.count - written, off_t(self.length + written)) }
            if count < 0 {
                if errno == EINTR { continue }
                error = errno
                break
            }
            written += count
        }
        if error == 0, let injected = self.condition.withLock({ self.writeFault })?() { error = injected }
        let syncStart = DispatchTime.now().uptimeNanoseconds
        if error == 0 && fdatasync(self.fd) != 0 { error = errno }
        let syncNanoseconds = DispatchTime.now().uptimeNanoseconds - syncStart
        self.syncNanoseconds += syncNanoseconds
        if error != 0 {
            self.observer?(.failed)
            self.fail(group.map(\.completion), errno: error)
            return
        }
        self.condition.withLock {
            self.length += bytes.count
            self.degraded = false
        }
        self.observer?(.written(records: Int(sequence - self.sequence), bytes: bytes.count, fsyncNanoseconds: syncNanoseconds))
        self.sequence = sequence
        self.recordsWritten += lasts.count
        self.syncs += 1
        for (item, last) in zip(group, lasts) { item.completion(.success(last)) }
    }

    /// Writes zeros over `[from, to)` of the current segment; an errno on failure, else 0.
    private func writeZeros(from: Int, to: Int) -> Int32 {
        var offset = from
        while offset < to {
            let count = Self.zeros.withUnsafeBytes { pwrite(self.fd, $0.baseAddress!, min($0.count, to - offset), off_t(offset)) }
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += count
        }
        return 0
    }

    /// Cuts the file back to the last durable record, lets the owner rebuild, fails the group.
    private func fail(_ completions: [@Sendable (Result<UInt64, StoreError>) -> Void], errno error: Int32) {
        let reason = StoreError(
            .unavailable, "journal write failed (\(String(cString: strerror(error)))); nothing was changed, retry later",
            path: self.path, offset: self.length)
        self.prepared = self.length
        if ftruncate(self.fd, off_t(self.length)) != 0 || fdatasync(self.fd) != 0 {
            // The file may not end at the last acknowledged record any more: stop writing.
            self.failed = StoreError(
                .unavailable, "journal is in an unknown state after a failed write; restart the server", path: self.path, offset: self.length)
        }
        let epoch = self.condition.withLock {
            self.degraded = true
            self.queuedSequence = self.sequence
            return self.epoch
        }
        self.brokenEpoch = epoch
        if let onFailure = self.onFailure {
            onFailure(reason)
        } else {
            self.resume()
        }
        for completion in completions { completion(.failure(reason)) }
    }
}

/// One group commit, as ``Journal/observer`` sees it.
public enum JournalWrite: Sendable, Equatable {
    /// `records` records (`bytes` bytes with their headers) written and made durable by one
    /// fdatasync that took `fsyncNanoseconds`.
    case written(records: Int, bytes: Int, fsyncNanoseconds: UInt64)
    /// A write or its fdatasync failed (the journal was cut back; see ``Journal/onFailure``).
    case failed
}
