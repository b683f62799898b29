import Glibc

/// A value behind a pthread reader-writer lock: any number of readers at once, or one writer.
///
/// For a value many threads read and few change (the domain state: every event loop answers
/// reads from it, the write path applies batches to it). Writers are preferred: a reader
/// waits while a writer waits, so a stream of reads on every loop never starves the write
/// path (glibc's default prefers readers). TSan intercepts `pthread_rwlock_*`, as it does the
/// mutex of ``Locked``.
public final class SharedLocked<Value>: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    // Behind a pointer, not a stored property: a reader borrows the value in place, where a
    // borrow of a class's stored property copies it (for a struct of tables: a retain and a
    // release of every table per read).
    private let value: UnsafeMutablePointer<Value>

    /// A lock around `value`.
    public init(_ value: Value) {
        self.value = .allocate(capacity: 1)
        self.value.initialize(to: value)
        self.lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        self.lock.initialize(to: pthread_rwlock_t())
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(self.lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit {
        pthread_rwlock_destroy(self.lock)
        self.lock.deallocate()
        self.value.deinitialize(count: 1)
        self.value.deallocate()
    }

    /// Runs `body` with the value, shared with other readers: `body` must not take this lock again
    /// (with writers preferred, a second read lock behind a waiting writer never comes).
    @inline(__always)
    public func withReadLock<Result>(_ body: (Value) throws -> Result) rethrows -> Result {
        pthread_rwlock_rdlock(self.lock)
        defer { pthread_rwlock_unlock(self.lock) }
        return try body(self.value.pointee)
    }

    /// Runs `body` with the value, alone.
    @inline(__always)
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_rwlock_wrlock(self.lock)
        defer { pthread_rwlock_unlock(self.lock) }
        return try body(&self.value.pointee)
    }
}
