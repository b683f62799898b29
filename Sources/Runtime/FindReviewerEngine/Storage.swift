import CSystemShims
import Dispatch
import FindReviewerDomain
import FindReviewerStore
import Foundation
import Messages
import Locking
import Transport

/// The data directory's durable state (DESIGN.md §5): the journal of domain events under
/// `<data-dir>/journal/` and snapshots under `<data-dir>/snapshots/`.
///
/// - Writes: events are encoded (protobuf `StoredEvent`) by the thread that writes the batch (the
///   event loop that ran the calls, or the journal's writer thread) and
///   answered once fsynced, with group commit.
/// - Snapshots: the state is copied under the service's lock together with a journal rotation
///   (so the copy is exactly the records up to a sequence number), then written off the lock;
///   the journal segments it covers are removed afterwards.
/// - Recovery: the newest snapshot plus the journal after it.
/// - A failed write (disk full, I/O error): the journal is cut back to its last durable record
///   and the in-memory state is rebuilt from disk before any further write, so nothing that was
///   refused stays visible; writes are refused while the disk stays full, reads continue.
public final class Storage: EventLog, @unchecked Sendable {
    /// The journal of events.
    public let journal: Journal
    /// Told about snapshots and refused writes (metrics); set before serving.
    public var observer: StorageObserver?
    let snapshotDirectory: String
    let logger: Logger
    /// Serialises snapshots.
    private let snapshotLock = NSLock()
    /// Held while snapshot files or journal segments are replaced, and while rebuilding from them.
    private let fileLock = NSLock()
    private weak var service: Engine?
    private var snapshotTrigger: (everyBytes: Int, trigger: @Sendable () -> Void)?
    private let encoderLock = NSLock()
    private var encoderValue: @Sendable (DomainEvent) throws -> [UInt8] = { try StorageMapping.encode($0) }

    private init(journal: Journal, snapshotDirectory: String, logger: Logger) {
        self.journal = journal
        self.snapshotDirectory = snapshotDirectory
        self.logger = logger
    }

    // MARK: recovery

    /// Opens the data directory's storage and rebuilds the state under `settings` (the server's
    /// flags: they are not stored): newest snapshot, then the journal after it.
    public static func open(
        dataDirectory: String, settings: DomainSettings = DomainSettings(), logger: Logger
    ) throws -> (Storage, DomainState) {
        let started = DispatchTime.now()
        let snapshotDirectory = (dataDirectory as NSString).appendingPathComponent("snapshots")
        let journalDirectory = (dataDirectory as NSString).appendingPathComponent("journal")
        var opened: (journal: Journal, recovery: Journal.Recovery)?
        let state: DomainState
        let sequence: UInt64
        do {
            (state, sequence) = try self.loadState(
                snapshotDirectory: snapshotDirectory, journalDirectory: journalDirectory, settings: settings
            ) { sequence in
                opened = try Journal.open(directory: journalDirectory, after: sequence)
                return opened!.recovery.payloads
            }
        } catch {
            opened?.journal.close()
            throw error
        }
        let (journal, recovery) = opened!
        if recovery.truncatedBytes > 0 {
            logger.log(.warn, "cut a torn journal tail left by a crash", ["path": journal.path, "bytes": String(recovery.truncatedBytes)])
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        logger.log(.info, "recovered", [
            "snapshot_sequence": String(sequence), "journal_events": String(recovery.payloads.count),
            "requests": String(state.requests.count), "seconds": String(format: "%.3f", seconds),
        ])
        return (Storage(journal: journal, snapshotDirectory: snapshotDirectory, logger: logger), state)
    }

    /// The newest snapshot plus the journal records after it (`journalAfter` reads those, given
    /// the snapshot's sequence); on start and when rebuilding after a failed write.
    static func loadState(
        snapshotDirectory: String, journalDirectory: String, settings: DomainSettings, journalAfter: (UInt64) throws -> [[UInt8]]
    ) throws -> (DomainState, UInt64) {
        var (state, sequence) = try self.loadSnapshot(snapshotDirectory, settings: settings)
        for (index, payload) in try journalAfter(sequence).enumerated() {
            do {
                state.apply(try StorageMapping.decodeEvent(payload))
            } catch {
                throw StoreError(
                    .corrupt, "record \(sequence + UInt64(index) + 1) is not a domain event this build knows: \(error)", path: journalDirectory)
            }
        }
        return (state, sequence)
    }

    /// Reads the newest snapshot: this thread checks and decodes items, a second thread adds
    /// them to the state meanwhile (the two halves cost about the same).
    static func loadSnapshot(_ directory: String, settings: DomainSettings) throws -> (DomainState, UInt64) {
        guard let newest = SnapshotFile.list(directory).first else { return (DomainState(settings: settings), 0) }
        let pipe = ItemPipe()
        let restored = Locked(SnapshotRestorer(settings: settings))
        let consumer = Thread {
            restored.withLock { restorer in
                while var chunk = pipe.take() {
                    // Taking moves each item out instead of copying it.
                    for index in chunk.indices { if let item = chunk[index].take() { restorer.add(item) } }
                    chunk.removeAll(keepingCapacity: true)
                    pipe.giveBack(chunk, replaced: restorer.takeReplaced())
                }
            }
            pipe.finished()
        }
        consumer.name = "findreviewer-restore"
        var chunk = pipe.emptyChunk()
        var texts: TextArena? = TextArena()
        let outcome = Result {
            try SnapshotFile.read(newest.path, start: { count in
                restored.withLock { $0.reserve(requests: Int(count / 3)) }
                consumer.start()
            }) { payload in
                chunk.append(try StorageMapping.decodeItem(payload, texts: &texts))
                if chunk.count == ItemPipe.chunkSize {
                    pipe.put(chunk)
                    chunk = pipe.emptyChunk()
                }
            }
        }
        pipe.put(chunk)
        pipe.close()
        let (sequence, _) = try outcome.get()
        pipe.waitFinished()
        guard sequence == newest.sequence else {
            throw StoreError(.corrupt, "the file name says sequence \(newest.sequence), the header \(sequence)", path: newest.path, offset: 8)
        }
        // Taken out of the restorer so that the state is the only reference (no copy on first write).
        let state = restored.withLock { restorer in
            defer { restorer = SnapshotRestorer(settings: settings) }
            return restorer.finish()
        }
        return (state, sequence)
    }

    /// Connects the engine: after a failed write the journal rebuilds the service's state from disk.
    public func attach(_ service: Engine) {
        self.service = service
        self.journal.onFailure = { [weak self, weak service] reason in
            guard let self, let service else { return }
            self.rebuild(service, after: reason)
        }
    }

    /// Runs on the thread that wrote the failed batch (the journal's, or an event loop's), after a failed write.
    private func rebuild(_ service: Engine, after reason: StoreError) {
        self.logger.log(.error, "journal write failed; rebuilding the state from disk", ["reason": reason.description])
        self.fileLock.lock()
        defer { self.fileLock.unlock() }
        service.state.withLock { state in
            do {
                (state, _) = try Self.loadState(
                    snapshotDirectory: self.snapshotDirectory, journalDirectory: self.journal.directory, settings: state.settings
                ) {
                    try self.journal.durablePayloads(after: $0)
                }
                self.journal.resume()
            } catch {
                // Without a state that matches the disk, no write may be accepted again.
                self.logger.log(.error, "cannot rebuild the state from disk; writes stay refused until a restart", ["error": "\(error)"])
            }
        }
    }

    // MARK: EventLog

    /// The records of `events` (protobuf `StoredEvent`), built before they are applied. Only a
    /// NUL inside a string can fail to encode, and validation refuses control characters before
    /// any event exists; should it happen anyway, the command is refused and nothing changes.
    /// Tests replace ``encoder`` to inject that failure.
    public func records(for events: [DomainEvent]) throws -> [[UInt8]] {
        let encode = self.encoder
        return try events.map(encode)
    }

    /// How an event becomes a record; a seam for failure injection in tests.
    public var encoder: @Sendable (DomainEvent) throws -> [UInt8] {
        get { self.encoderLock.withLock { self.encoderValue } }
        set { self.encoderLock.withLock { self.encoderValue = newValue } }
    }

    /// Appends; `completion` runs once the records are on disk, or with the store's failure
    /// (UNAVAILABLE; the state was rebuilt from disk first).
    ///
    /// On an event-loop thread the loop itself writes and fsyncs, once per iteration, the
    /// records of every call it read in that iteration (before it waits for more events), and
    /// the answers go out right after: no hand-off to the journal's thread and back. (When
    /// another loop's batch is being written, the journal's thread writes this one next and
    /// the loop goes on reading; see ``Journal/commit()``.) Appends
    /// from other threads (the timer, snapshot rotation, tools) wake the journal's writer thread.
    public func append(_ records: [[UInt8]], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let loop = EventLoop.current
        let journal = self.journal
        journal.append(count: records.count, { records }, committedByCaller: loop != nil) { result in
            switch result {
            case .success: completion(.success(()))
            case .failure(let error): completion(.failure(error))
            }
        }
        loop?.beforeSleep(token: ObjectIdentifier(journal)) { journal.commit() }
        if let (everyBytes, trigger) = self.encoderLock.withLock({ self.snapshotTrigger }),
            journal.segmentBytes - JournalFormat.fileHeaderSize >= everyBytes
        {
            trigger()
        }
    }

    /// Refuses writes at once while a failed write left the disk without room.
    public func admitsWrites() -> (any Error)? {
        guard self.journal.isDegraded, !self.journal.hasSpace() else { return nil }
        self.observer?.writeRefused()
        return StoreError(.unavailable, "the data directory's disk is full: writes are refused until space returns; reads still work")
    }

    // MARK: snapshots

    /// Takes a snapshot now (blocking; one at a time) and removes the journal it covers.
    public func snapshot() throws(StoreError) -> TriggerSnapshotResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        do throws(StoreError) {
            let response = try self.takeSnapshot()
            self.observer?.snapshotTaken(DispatchTime.now().uptimeNanoseconds - started, Int(response.sizeBytes))
            return response
        } catch {
            self.observer?.snapshotFailed()
            throw error
        }
    }

    private func takeSnapshot() throws(StoreError) -> TriggerSnapshotResponse {
        self.snapshotLock.lock()
        defer { self.snapshotLock.unlock() }
        guard let service = self.service else { throw StoreError(.unavailable, "the service is stopping") }
        let started = DispatchTime.now()
        let rotated = Locked<Result<UInt64, StoreError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        // The copy and the cut happen under the state lock: the copy holds exactly the events up to `sequence`.
        let (state, sequence) = service.state.withLock { state in
            (state, self.journal.rotate { result in
                rotated.withLock { $0 = result }
                done.signal()
            })
        }
        let copied = DispatchTime.now()
        // Encoding and writing run at the lowest priority (nice 19) with a 100 µs time slice
        // (EEVDF, Linux 6.12+): on a small machine calls keep their latency while a snapshot
        // is written. With the default slice (about 3 ms) a woken event loop could wait for
        // the snapshot thread's slice to end: in three alternating rounds at 1,000,000
        // requests (2026-12-04, 2 vCPUs) the read p99 during a snapshot was 1,345 / 1,155 /
        // 985 µs with the short slice against 1,807 / 1,532 / 1,160 µs without.
        // (The thread is the policy thread or one started for the RPC: it stays niced.)
        _ = cshim_nice_and_slice_this_thread(19, 100_000)
        done.wait()
        if case .failure(let error) = rotated.withLock({ $0 }) {
            throw StoreError(error.code, "snapshot not taken: \(error.message)", path: error.path, offset: error.offset)
        }
        self.fileLock.lock()
        defer { self.fileLock.unlock() }
        let written: (path: String, size: Int)
        do {
            written = try SnapshotFile.write(directory: self.snapshotDirectory, sequence: sequence) { emit throws(StoreError) in
                var failure: StoreError?
                state.forEachSnapshotItem { item in
                    guard failure == nil else { return }
                    do {
                        try emit(try StorageMapping.encode(item))
                    } catch let error as StoreError {
                        failure = error
                    } catch {
                        failure = StoreError(.unavailable, "cannot encode \(item): \(error)")
                    }
                }
                if let failure { throw failure }
            }
        } catch {
            self.logger.log(.error, "snapshot failed", ["error": error.description])
            throw StoreError(error.code, "snapshot not written: \(error.message)", path: error.path, offset: error.offset)
        }
        for older in SnapshotFile.list(self.snapshotDirectory) where older.sequence < sequence { unlink(older.path) }
        self.journal.removeSegments(through: sequence)
        let nanos = { (from: DispatchTime) in Double(DispatchTime.now().uptimeNanoseconds - from.uptimeNanoseconds) / 1e9 }
        self.logger.log(.info, "snapshot written", [
            "path": written.path, "sequence": String(sequence), "bytes": String(written.size),
            "requests": String(state.requests.count), "copy_seconds": String(format: "%.4f", Double(copied.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9),
            "seconds": String(format: "%.3f", nanos(started)),
        ])
        let relative = "snapshots/" + (written.path as NSString).lastPathComponent
        return TriggerSnapshotResponse(sequence: sequence, path: relative, sizeBytes: UInt64(written.size))
    }

    /// Calls `trigger` from appends once the journal segment holds `everyBytes` or more (the
    /// snapshot policy service wakes on it).
    public func setSnapshotTrigger(everyBytes: Int, _ trigger: @escaping @Sendable () -> Void) {
        self.encoderLock.withLock { self.snapshotTrigger = (everyBytes, trigger) }
    }

    /// Closes the journal: the last commit (its queued writes), then the writer is joined.
    public func stop() {
        self.journal.close()
        let syncs = max(1, self.journal.syncs)
        self.logger.log(.info, "journal closed", [
            "records_written": String(self.journal.recordsWritten), "fsyncs": String(self.journal.syncs),
            "mean_fsync_ms": String(format: "%.3f", Double(self.journal.syncNanoseconds) / Double(syncs) / 1e6),
        ])
    }
}

/// Chunks of decoded snapshot items handed from the decoding thread to the restoring one,
/// at most a few in flight.
final class ItemPipe: @unchecked Sendable {
    static let chunkSize = 4_096
    private let condition = NSCondition()
    private var chunks: [[FindReviewerDomain.SnapshotItem?]] = []
    /// Emptied chunks back from the restoring thread: their buffers (about 800 KiB each) are
    /// reused instead of mapping and faulting in fresh memory for every chunk.
    private var spare: [[FindReviewerDomain.SnapshotItem?]] = []
    /// Strings the restorer replaced, to be freed on the decoding thread that allocated them.
    private var replaced: [[String]] = []
    private var closed = false
    private var done = false

    func put(_ chunk: [FindReviewerDomain.SnapshotItem?]) {
        guard !chunk.isEmpty else { return }
        self.condition.withLock {
            while self.chunks.count >= 8 { self.condition.wait() }
            self.chunks.append(chunk)
            self.condition.broadcast()
        }
    }

    /// An empty chunk with room for ``chunkSize`` items: a returned one when there is one.
    /// Decoding thread only: also frees the strings handed back since the last call.
    func emptyChunk() -> [FindReviewerDomain.SnapshotItem?] {
        let (reused, replaced) = self.condition.withLock { () -> ([FindReviewerDomain.SnapshotItem?]?, [[String]]) in
            defer { self.replaced = [] }
            return (self.spare.popLast(), self.replaced)
        }
        _ = consume replaced  // freed here, on the decoding thread
        if let reused { return reused }
        var chunk: [FindReviewerDomain.SnapshotItem?] = []
        chunk.reserveCapacity(Self.chunkSize)
        return chunk
    }

    /// Hands an emptied chunk back for reuse, with the strings the restorer replaced meanwhile.
    func giveBack(_ chunk: [FindReviewerDomain.SnapshotItem?], replaced: [String]) {
        self.condition.withLock {
            if self.spare.count < 10 { self.spare.append(chunk) }
            self.replaced.append(replaced)
        }
    }

    func close() {
        self.condition.withLock {
            self.closed = true
            self.condition.broadcast()
        }
    }

    /// The next chunk, or nil once closed and drained.
    func take() -> [FindReviewerDomain.SnapshotItem?]? {
        self.condition.withLock {
            while self.chunks.isEmpty && !self.closed { self.condition.wait() }
            guard !self.chunks.isEmpty else { return nil }
            self.condition.broadcast()
            return self.chunks.removeFirst()
        }
    }

    func finished() {
        self.condition.withLock {
            self.done = true
            self.condition.broadcast()
        }
    }

    func waitFinished() {
        self.condition.withLock { while !self.done { self.condition.wait() } }
    }
}


/// What ``Storage`` reports as it goes (the server's metrics listen).
public struct StorageObserver: Sendable {
    /// A snapshot was written: nanoseconds it took, its size in bytes.
    public var snapshotTaken: @Sendable (UInt64, Int) -> Void
    /// A snapshot failed.
    public var snapshotFailed: @Sendable () -> Void
    /// A write was refused before trying, the disk being full.
    public var writeRefused: @Sendable () -> Void

    /// An observer of these three events.
    public init(
        snapshotTaken: @escaping @Sendable (UInt64, Int) -> Void, snapshotFailed: @escaping @Sendable () -> Void,
        writeRefused: @escaping @Sendable () -> Void
    ) {
        self.snapshotTaken = snapshotTaken
        self.snapshotFailed = snapshotFailed
        self.writeRefused = writeRefused
    }
}
