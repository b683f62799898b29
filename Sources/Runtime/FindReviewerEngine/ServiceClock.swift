import Foundation
import Locking

/// The service's notion of now, in Unix seconds: the real clock, or a test clock that only
/// admins move (`--test-clock`).
public final class ServiceClock: Sendable {
    private let manual: Locked<Int64>
    /// Whether admins may move this clock.
    public let isTestClock: Bool

    /// The real clock.
    public static func system() -> ServiceClock { ServiceClock(test: false, start: 0) }

    /// A test clock starting at `start` (Unix seconds).
    public static func test(start: Int64) -> ServiceClock { ServiceClock(test: true, start: start) }

    private init(test: Bool, start: Int64) {
        self.isTestClock = test
        self.manual = Locked(start)
    }

    /// Now, Unix seconds.
    public func now() -> Int64 {
        if self.isTestClock { return self.manual.withLock { $0 } }
        return Int64(Date().timeIntervalSince1970)
    }

    /// Sets the test clock; it never moves backwards. Returns the new time, or nil for the real clock.
    public func set(_ time: Int64) -> Int64? {
        guard self.isTestClock else { return nil }
        return self.manual.withLock { now in
            now = max(now, time)
            return now
        }
    }
}
