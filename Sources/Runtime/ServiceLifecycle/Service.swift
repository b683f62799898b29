import Dispatch
import Foundation

/// Background work with a lifecycle (the swift-service-lifecycle shape, written here, on
/// threads): ``run()`` does the work until ``stop()`` asks it to end, and returns once it has.
///
/// A service never sleep-polls: it waits on a ``Wakeup`` for its next due time on a
/// ``LifecycleClock`` or for a signal, so tests drive it with a ``ManualClock``.
public protocol Service: AnyObject, Sendable {
    /// For thread names and logs.
    var name: String { get }
    /// Does the work; returns after ``stop()`` (having done any last step the service owes).
    func run()
    /// Asks ``run()`` to return soon; from any thread, any number of times.
    func stop()
}

/// Starts services, each on a thread of its own, and stops them in a given order, joining
/// each thread (a semaphore its thread signals as ``Service/run()`` returns) before the next
/// service is stopped.
public final class ServiceGroup: @unchecked Sendable {
    private let services: [any Service]
    private var ended: [ObjectIdentifier: DispatchSemaphore] = [:]
    private let lock = NSLock()

    /// A group of `services`; ``start()`` starts them in this order.
    public init(_ services: [any Service]) {
        self.services = services
    }

    /// Starts every service not yet started.
    public func start() {
        for service in self.services {
            let id = ObjectIdentifier(service)
            let ended = DispatchSemaphore(value: 0)
            let fresh = self.lock.withLock { () -> Bool in
                guard self.ended[id] == nil else { return false }
                self.ended[id] = ended
                return true
            }
            guard fresh else { continue }
            let thread = Thread {
                service.run()
                ended.signal()
            }
            thread.name = service.name
            thread.start()
        }
    }

    /// Stops the services in `order` (by default the order they were given), each one
    /// stopped and joined before the next; services not in `order` follow in the given order.
    public func stop(order: [any Service]? = nil) {
        var sequence = order ?? []
        for service in self.services where !sequence.contains(where: { $0 === service }) { sequence.append(service) }
        for service in sequence { self.stop(service) }
    }

    /// Stops one service and waits for its ``Service/run()`` to return.
    public func stop(_ service: any Service) {
        service.stop()
        let ended = self.lock.withLock { self.ended.removeValue(forKey: ObjectIdentifier(service)) }
        ended?.wait()
    }

    /// Stops one service and waits at most `seconds` for its ``Service/run()`` to return; true
    /// when it did (or it was not running). After false the thread still runs: the service
    /// must tolerate being left behind (``Service/run()`` ending on its own, later).
    public func stop(_ service: any Service, waitingAtMost seconds: Double) -> Bool {
        service.stop()
        let ended = self.lock.withLock { self.ended.removeValue(forKey: ObjectIdentifier(service)) }
        guard let ended else { return true }
        return ended.wait(timeout: .now() + seconds) == .success
    }
}
