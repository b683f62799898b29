import Glibc

/// A value behind a pthread mutex.
///
/// Give it the value the lock protects, not `()` beside separate variables: with a zero-sized
/// value, `make tsan` reported every `withLock` of `RPCServer`'s connection table as a Swift
/// access race (the exclusivity check of an empty value's address), and the table itself was
/// outside the lock's type.
///
/// Why not `Synchronization.Mutex`: on Linux its lock is a futex word handled inside the
/// standard library, which ThreadSanitizer does not instrument, so TSan cannot see the
/// happens-before edge between an unlock and the next lock and reports every access to the
/// protected value from two threads as a race (`make tsan` reported exactly that for the event
/// loop's mailbox: two `withLock` bodies, `execute` and `drainMailbox`, "racing"). TSan
/// intercepts `pthread_mutex_lock`/`unlock`, so with this type it sees the edge, and a
/// report left is a real race.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// A lock around `value`.
    public init(_ value: Value) {
        self.value = value
        self.mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        self.mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(self.mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(self.mutex)
        self.mutex.deallocate()
    }

    /// Runs `body` with the value, the lock held.
    @inline(__always)
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(self.mutex)
        defer { pthread_mutex_unlock(self.mutex) }
        return try body(&self.value)
    }
}
