import CSystemShims
import Foundation
import Glibc
import Locking
import Synchronization

/// Something that owns a descriptor registered with an ``EventLoop``.
public protocol EventHandler: AnyObject {
    /// Called on the loop's thread with the epoll event bits that fired.
    func handle(events: UInt32)
}

/// One dedicated thread around one epoll instance, never Swift's cooperative pool.
///
/// Work from other threads arrives through ``execute(_:)``: a mailbox plus an eventfd wake-up.
/// Everything registered with the loop is touched only on its thread.
public final class EventLoop: @unchecked Sendable {
    /// Readable.
    public static let readable = cshim_EPOLLIN
    /// Writable.
    public static let writable = cshim_EPOLLOUT
    /// Peer hung up or error.
    public static let hangup = cshim_EPOLLHUP | cshim_EPOLLERR | cshim_EPOLLRDHUP
    /// Wake only one of the loops waiting on a shared descriptor (a shared listener).
    public static let exclusive = cshim_EPOLLEXCLUSIVE

    /// A name for logs and the thread.
    public let name: String
    private let epoll: Int32
    private let wakeFd: Int32
    private var handlers: [Int32: EventHandler] = [:]
    /// A pthread-mutex lock (Locking.Locked), not Synchronization.Mutex: see Locked for why.
    private let mailbox = Locked<[@Sendable () -> Void]>([])
    private let running = Atomic<Bool>(false)
    private var thread: pthread_t?
    private let stopped = DispatchSemaphore(value: 0)
    /// Tasks to run once the current iteration's events are handled (loop thread only).
    private var beforeSleepTasks: [(token: ObjectIdentifier, task: () -> Void)] = []
    /// Called on the loop thread about every `tickMilliseconds`, for timeouts.
    private let onTick: (@Sendable (EventLoop) -> Void)?
    private let tickMilliseconds: Int32
    /// Scratch memory for reads, lent to one handler at a time (loop thread only). One buffer
    /// per loop, allocated once: a fresh 64 KiB per read is a large request, which glibc serves
    /// from its arena (and consolidates its small free chunks for) on every read.
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: EventLoop.readBufferSize, alignment: 16)
    /// Size of the buffer ``withReadBuffer(_:)`` lends.
    public static let readBufferSize = 65_536

    /// Creates a loop; call ``start()`` to run it.
    public init(name: String, tickMilliseconds: Int32 = 250, onTick: (@Sendable (EventLoop) -> Void)? = nil) throws(SystemError) {
        self.name = name
        self.epoll = try blockingSyscall("epoll_create1") { cshim_epoll_create() }
        self.wakeFd = try blockingSyscall("eventfd") { cshim_eventfd() }
        self.onTick = onTick
        self.tickMilliseconds = tickMilliseconds
        try blockingSyscall("epoll_ctl ADD eventfd") { cshim_epoll_add(self.epoll, self.wakeFd, cshim_EPOLLIN, UInt64(self.wakeFd)) }
    }

    deinit {
        Glibc.close(self.epoll)
        Glibc.close(self.wakeFd)
        self.readBuffer.deallocate()
    }

    /// Lends the loop's read buffer (``readBufferSize`` bytes) to `body`, which must not keep it
    /// and must run on the loop thread; nothing else on the loop uses it meanwhile.
    public func withReadBuffer<Result>(_ body: (UnsafeMutableRawBufferPointer) throws -> Result) rethrows -> Result {
        precondition(self.inLoop, "the read buffer belongs to the loop thread")
        return try body(self.readBuffer)
    }

    /// Starts the loop's thread.
    public func start() {
        self.running.store(true, ordering: .sequentiallyConsistent)
        let thread = Thread { [self] in
            self.thread = pthread_self()
            self.run()
            self.stopped.signal()
        }
        thread.name = self.name
        thread.start()
    }

    /// The loop whose thread is calling, if the caller runs on an event loop.
    public static var current: EventLoop? {
        guard let pointer = cshim_current_loop() else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Runs `task` on this loop's thread after the events of the current iteration are handled,
    /// before the loop waits for more (Redis' "before sleep"); once per iteration per `token`,
    /// however often it is asked for. Loop thread only.
    ///
    /// This is how work is batched per iteration: e.g. the journal writes and fsyncs every
    /// record the iteration's calls produced, then their answers go out.
    public func beforeSleep(token: ObjectIdentifier, _ task: @escaping () -> Void) {
        if self.beforeSleepTasks.contains(where: { $0.token == token }) { return }
        self.beforeSleepTasks.append((token, task))
    }

    /// Whether the caller runs on this loop's thread.
    public var inLoop: Bool {
        guard let thread = self.thread else { return false }
        return pthread_equal(pthread_self(), thread) != 0
    }

    /// Runs `task` on the loop's thread soon; safe from any thread.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        let wasEmpty = self.mailbox.withLock { mailbox -> Bool in
            mailbox.append(task)
            return mailbox.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(self.wakeFd, &one, 8)
        }
    }

    /// Registers `fd` for `events` (loop thread only).
    public func register(_ fd: Int32, events: UInt32, handler: EventHandler) throws(SystemError) {
        try blockingSyscall("epoll_ctl ADD") { cshim_epoll_add(self.epoll, fd, events, UInt64(fd)) }
        self.handlers[fd] = handler
    }

    /// Changes the events `fd` is registered for (loop thread only).
    public func modify(_ fd: Int32, events: UInt32) {
        _ = cshim_epoll_modify(self.epoll, fd, events, UInt64(fd))
    }

    /// Forgets `fd` (loop thread only); the caller closes it.
    public func deregister(_ fd: Int32) {
        _ = cshim_epoll_remove(self.epoll, fd)
        self.handlers[fd] = nil
    }

    /// Stops the loop after the current iteration and waits for its thread to end.
    public func stop() {
        guard self.running.exchange(false, ordering: .sequentiallyConsistent) else { return }
        self.execute {}
        if !self.inLoop { self.stopped.wait() }
    }

    private func run() {
        cshim_set_current_loop(Unmanaged.passUnretained(self).toOpaque())
        defer { cshim_set_current_loop(nil) }
        var tags = [UInt64](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        var lastTick = DispatchTime.now().uptimeNanoseconds
        while self.running.load(ordering: .relaxed) {
            let count = cshim_epoll_wait(self.epoll, &tags, &events, 256, self.tickMilliseconds)
            if count > 0 {
                for index in 0..<Int(count) {
                    let fd = Int32(truncatingIfNeeded: tags[index])
                    if fd == self.wakeFd {
                        var value: UInt64 = 0
                        _ = Glibc.read(self.wakeFd, &value, 8)
                        continue
                    }
                    self.handlers[fd]?.handle(events: events[index])
                }
            }
            self.drainMailbox()
            self.runBeforeSleep()
            let now = DispatchTime.now().uptimeNanoseconds
            if let onTick = self.onTick, now - lastTick >= UInt64(self.tickMilliseconds) * 1_000_000 {
                lastTick = now
                onTick(self)
            }
        }
        self.drainMailbox()
        self.runBeforeSleep()
    }

    private func runBeforeSleep() {
        while !self.beforeSleepTasks.isEmpty {
            let tasks = self.beforeSleepTasks
            self.beforeSleepTasks.removeAll(keepingCapacity: true)
            for (_, task) in tasks { task() }
            // Their completions may have queued mailbox work for this loop.
            self.drainMailbox()
        }
    }

    private func drainMailbox() {
        while true {
            let tasks = self.mailbox.withLock { mailbox -> [@Sendable () -> Void] in
                let tasks = mailbox
                mailbox.removeAll(keepingCapacity: true)
                return tasks
            }
            if tasks.isEmpty { return }
            for task in tasks { task() }
        }
    }
}
