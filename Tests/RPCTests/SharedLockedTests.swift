import Dispatch
import Locking
import Testing

/// The engine's state lock: readers together, a writer alone.
@Suite("SharedLocked: readers share the lock, a writer has it alone")
struct SharedLockedTests {
    @Test("two readers hold the lock at the same time")
    func readersTogether() {
        let lock = SharedLocked([1, 2, 3])
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            lock.withReadLock { value in
                inside.signal()
                // Holds the read lock until the second reader got in.
                _ = release.wait(timeout: .now() + 10)
                #expect(value.count == 3)
            }
            done.signal()
        }
        #expect(inside.wait(timeout: .now() + 10) == .success)
        // With an exclusive lock this read would wait for the first one, which waits for it.
        let sum = lock.withReadLock { $0.reduce(0, +) }
        release.signal()
        #expect(sum == 6)
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test("a writer waits for the reader inside, and readers after it see its change")
    func writerAlone() {
        let lock = SharedLocked(0)
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let written = DispatchSemaphore(value: 0)
        let seen = Locked<[Int]>([])
        DispatchQueue.global().async {
            lock.withReadLock { value in
                inside.signal()
                _ = release.wait(timeout: .now() + 10)
                seen.withLock { $0.append(value) }
            }
        }
        #expect(inside.wait(timeout: .now() + 10) == .success)
        DispatchQueue.global().async {
            lock.withLock { $0 = 42 }
            written.signal()
        }
        // The writer cannot get in while the reader holds the lock.
        #expect(written.wait(timeout: .now() + 0.2) == .timedOut)
        release.signal()
        #expect(written.wait(timeout: .now() + 10) == .success)
        #expect(seen.withLock { $0 } == [0])
        #expect(lock.withReadLock { $0 } == 42)
    }

    @Test("many threads adding under the write lock lose no update")
    func writesAreExclusive() {
        let lock = SharedLocked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { lock.withLock { $0 += 1 } }
            _ = lock.withReadLock { $0 }
        }
        #expect(lock.withReadLock { $0 } == 80_000)
    }
}
