import Credentials
import Dispatch
import FindReviewerDomain
import FindReviewerStore
@testable import FindReviewerEngine
@testable import FindReviewerServer
import Foundation
import Glibc
import ServiceLifecycle
import Synchronization
import Testing

/// The server's services run and stop on a manual clock (no sleeping, no real time).
@Suite("Server services on a manual clock")
struct ServicesTests {
    static let start: Int64 = 1_800_000_000

    /// A service with one pending request (its reminder and expiry due later).
    static func serviceWithRequest(_ log: any EventLog = VolatileEventLog()) throws -> FindReviewerService {
        let service = FindReviewerService(
            clock: .test(start: Self.start), keys: KeysFile(keys: []), eventLog: log, logger: WritePathTests.logger)
        _ = try service.executeInternal(.upsertBusiness(FindReviewerDomain.Business(id: "b", displayName: "B", notificationEmail: "b@b.example"))).get()
        _ = try service.executeInternal(.acknowledgeIntroduction(businessId: "b")).get()
        _ = try service.executeInternal(.upsertReviewer(FindReviewerDomain.Reviewer(id: "r", displayName: "R", email: "r@r.example"))).get()
        _ = try service.executeInternal(.publishReview(FindReviewerDomain.Review(
            id: "rv", businessId: "b", reviewerId: "r", rating: 2, title: "T", text: "A review.", createdAt: 1_700_000_000, source: .organic))).get()
        _ = try service.executeInternal(.createRequest(DomainCommand.CreateRequest(
            businessId: "b", reviewId: "rv", message: "Hello", requestedFields: [.fullName], referenceLabel: "", token: TokenSource.shared.next()))).get()
        return service
    }

    @Test("the timer applies a due transition when its clock reaches the due time, not before, and stops when asked")
    func timerOnManualClock() throws {
        let service = try Self.serviceWithRequest()
        let due = try #require(service.nextDueTime())
        let applied = DispatchSemaphore(value: 0)
        service.onEventsApplied = { _ in applied.signal() }
        let clock = ManualClock()
        let timer = TimerService(service.engine, clock: clock)
        let group = ServiceGroup([timer])
        group.start()
        clock.waitForBlocked(atLeast: 1)
        // The service's time reaches the due time, the timer's clock not yet: nothing runs.
        _ = service.clock.set(due)
        clock.advance(by: UInt64(due - Self.start - 1) * 1_000_000_000)
        clock.waitForBlocked(atLeast: 1)
        #expect(service.nextDueTime() == due, "applied before the timer's clock reached the due time")
        // The timer's clock reaches it: the transition is applied.
        clock.advance(seconds: 1)
        applied.wait()
        #expect(service.nextDueTime().map { $0 > due } ?? true)
        group.stop()
    }

    @Test("writes wake the timer only when they bring a due time before the one it sleeps until")
    func timerWokenOnlyByEarlierDueTimes() throws {
        let service = FindReviewerService(
            clock: .test(start: Self.start), keys: KeysFile(keys: []), eventLog: VolatileEventLog(), logger: WritePathTests.logger)
        let clock = ManualClock()
        let timer = TimerService(service.engine, clock: clock)
        service.engine.onNextDueTime = { timer.dueTimeMayHaveMoved(to: $0) }
        let group = ServiceGroup([timer])
        group.start()
        defer { group.stop() }
        clock.waitForBlocked(atLeast: 1)
        #expect(timer.sleepsUntil.load(ordering: .sequentiallyConsistent) == .max, "nothing is due yet")
        func create(_ review: String) throws {
            _ = try service.executeInternal(.publishReview(FindReviewerDomain.Review(
                id: review, businessId: "b", reviewerId: "r", rating: 2, title: "T", text: "A review.", createdAt: 1_700_000_000,
                source: .organic))).get()
            _ = try service.executeInternal(.createRequest(DomainCommand.CreateRequest(
                businessId: "b", reviewId: review, message: "Hello", requestedFields: [.fullName], referenceLabel: "",
                token: TokenSource.shared.next()))).get()
        }
        // Writes that bring no due time: no wake-up.
        let quiet = timer.wakeup.signalCount
        _ = try service.executeInternal(.upsertBusiness(FindReviewerDomain.Business(id: "b", displayName: "B", notificationEmail: "b@b.example"))).get()
        _ = try service.executeInternal(.acknowledgeIntroduction(businessId: "b")).get()
        _ = try service.executeInternal(.upsertReviewer(FindReviewerDomain.Reviewer(id: "r", displayName: "R", email: "r@r.example"))).get()
        #expect(timer.wakeup.signalCount == quiet)
        // The first request's reminder comes before "nothing due": one wake-up, and the timer sleeps until it.
        let before = timer.wakeup.signalCount
        try create("rv1")
        #expect(timer.wakeup.signalCount == before + 1)
        let due = try #require(service.nextDueTime())
        clock.advance(by: 1)
        clock.waitForBlocked(atLeast: 1)
        #expect(timer.sleepsUntil.load(ordering: .sequentiallyConsistent) == due)
        // A later request's due times fall after it: writing it does not wake the timer.
        _ = service.clock.set(Self.start + 60)
        let later = timer.wakeup.signalCount
        try create("rv2")
        #expect(timer.wakeup.signalCount == later)
        // The timer still applies the first request's reminder at its time.
        let applied = DispatchSemaphore(value: 0)
        service.onEventsApplied = { _ in applied.signal() }
        _ = service.clock.set(due)
        clock.advance(by: UInt64(due - Self.start) * 1_000_000_000)
        applied.wait()
        #expect(service.nextDueTime().map { $0 > due } ?? true)
    }

    @Test("the snapshot policy: no snapshot before the period, one after it while the journal grew; the journal writer commits on stop")
    func snapshotPolicyOnManualClock() throws {
        let directory = NSTemporaryDirectory() + "policy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (storage, state) = try Storage.open(dataDirectory: directory, logger: WritePathTests.logger)
        let service = FindReviewerService(
            state: state, clock: .test(start: Self.start), keys: KeysFile(keys: []), eventLog: storage, logger: WritePathTests.logger)
        storage.attach(service.engine)
        let clock = ManualClock()
        let policy = SnapshotPolicyService(storage, everyBytes: 1 << 30, everySeconds: 60, clock: clock)
        let journalWriter = JournalWriterService(storage)
        let group = ServiceGroup([policy, journalWriter])
        group.start()
        clock.waitForBlocked(atLeast: 1)
        let snapshots = (directory as NSString).appendingPathComponent("snapshots")
        func count() -> Int { SnapshotFile.list(snapshots).count }
        _ = WritePathTests.submit(service, WritePathTests.business("p1"))
        // Less than the period: no snapshot.
        clock.advance(seconds: 59)
        clock.waitForBlocked(atLeast: 1)
        #expect(count() == 0)
        // The period passed while the journal grew: a snapshot.
        clock.advance(seconds: 1)
        clock.waitForBlocked(atLeast: 1)
        #expect(count() == 1)
        group.stop(order: [policy, journalWriter])
        // The journal writer's stop made the last commit: a reopen sees the write.
        let (again, recovered) = try Storage.open(dataDirectory: directory, logger: WritePathTests.logger)
        #expect(recovered.businesses["p1"] != nil)
        again.stop()
    }
}
