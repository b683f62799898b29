import Glibc
import Synchronization

/// Asks a run to end early, from any thread or a signal handler: no more calls start, the ones
/// in flight are awaited, and the summary covers what ran.
public final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A flag not raised.
    public init() {}

    /// Whether the run should end.
    @inline(__always)
    public var isRaised: Bool { self.raised.load(ordering: .relaxed) }

    /// Asks the run to end (async-signal-safe: one lock-free store).
    public func raise() { self.raised.store(true, ordering: .relaxed) }

    /// The flag SIGINT and SIGTERM raise once ``installSignalHandlers()`` ran; a second signal
    /// ends the process at once.
    public static let interrupt = StopFlag()

    /// Makes SIGINT (Ctrl-C) and SIGTERM end the measured run early instead of the process.
    public static func installSignalHandlers() {
        let handler: @convention(c) (Int32) -> Void = { number in
            StopFlag.interrupt.raise()
            signal(number, SIG_DFL)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        // A parent may have started this process with the signals blocked (test runners do);
        // threads started from here on inherit the unblocked mask.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}
