import Credentials
import Dispatch
import FindReviewerDomain
import FindReviewerStore
@testable import FindReviewerEngine
@testable import FindReviewerServer
import Foundation
import Glibc
import RPC
import Synchronization
import Testing

/// The one write path (execute → build records → apply → append → answer once durable): a
/// failure injected at each step leaves the state and the journal agreeing, that is, a restart
/// from the data directory gives exactly the state the running service holds.
@Suite("The write path: state and journal agree after a failure at any step")
struct WritePathTests {
    struct Opened {
        let storage: Storage
        let service: FindReviewerService
    }

    static let logger = Logger(level: .error, format: .text, sink: { _ in })

    static func open(_ directory: String) throws -> Opened {
        let (storage, state) = try Storage.open(dataDirectory: directory, logger: self.logger)
        let service = FindReviewerService(
            state: state, clock: .test(start: 1_700_000_000), keys: KeysFile(keys: []), eventLog: storage, logger: self.logger)
        storage.attach(service.engine)
        return Opened(storage: storage, service: service)
    }

    /// The state as its snapshot items, encoded and sorted: equal exactly when the states are.
    static func fingerprint(_ state: DomainState) throws -> [[UInt8]] {
        var items: [[UInt8]] = []
        var failure: (any Error)?
        state.forEachSnapshotItem { item in
            do { items.append(try StorageMapping.encode(item)) } catch { failure = error }
        }
        if let failure { throw failure }
        return items.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Submits and waits for the durable outcome.
    static func submit(_ service: FindReviewerService, _ command: DomainCommand) -> Result<[DomainEvent], any Error> {
        let outcome = Mutex<Result<[DomainEvent], any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        service.submit(command) { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return outcome.withLock { $0! }
    }

    static func business(_ id: String) -> DomainCommand {
        .upsertBusiness(FindReviewerDomain.Business(id: id, displayName: "Business \(id)", notificationEmail: "\(id)@example.com"))
    }

    /// Stops the storage, opens the directory again and checks the recovered state is the one
    /// the service held; returns the reopened service.
    static func restartAgrees(_ opened: Opened, _ directory: String) throws -> Opened {
        let before = try self.fingerprint(opened.service.snapshot())
        opened.storage.stop()
        let again = try self.open(directory)
        #expect(try self.fingerprint(again.service.snapshot()) == before, "the journal and the state disagree")
        return again
    }

    @Test("a refusal, a record that cannot be built, a journal write that fails: nothing is applied that is not journalled")
    func failureAtEachStep() throws {
        let directory = NSTemporaryDirectory() + "write-path-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var opened = try Self.open(directory)

        // A write that goes through: applied, durable, present after a restart.
        #expect(throws: Never.self) { try Self.submit(opened.service, Self.business("b1")).get() }
        opened = try Self.restartAgrees(opened, directory)
        #expect(opened.service.snapshot().businesses["b1"] != nil)

        // Step 1, execute: the domain refuses; nothing changes.
        let refused = Self.submit(opened.service, .acknowledgeIntroduction(businessId: "nobody"))
        #expect(RPCError(converting: try #require(refused.failure)).code == .notFound)
        opened = try Self.restartAgrees(opened, directory)

        // Step 2, building the journal records: the encoder fails; nothing is applied.
        opened.storage.encoder = { _ in throw StoreError(.unavailable, "injected: cannot encode") }
        let unencodable = Self.submit(opened.service, Self.business("b2"))
        #expect(RPCError(converting: try #require(unencodable.failure)).code == .unavailable)
        #expect(opened.service.snapshot().businesses["b2"] == nil, "applied although its record was never built")
        opened.storage.encoder = { try StorageMapping.encode($0) }
        opened = try Self.restartAgrees(opened, directory)

        // Step 3, the append: the journal's write fails (EIO); the answer is UNAVAILABLE and the
        // state is rebuilt from what is durable before it is given.
        opened.storage.journal.injectWriteFault { EIO }
        let unwritten = Self.submit(opened.service, Self.business("b3"))
        #expect(RPCError(converting: try #require(unwritten.failure)).code == .unavailable)
        #expect(opened.service.snapshot().businesses["b3"] == nil, "visible although its write failed")
        opened.storage.journal.injectWriteFault(nil)
        opened = try Self.restartAgrees(opened, directory)

        // The path works again after each failure, and the internal batch path is the same path.
        #expect(throws: Never.self) { try Self.submit(opened.service, Self.business("b4")).get() }
        opened.storage.encoder = { event in
            if case .businessUpserted(let business) = event, business.id == "b6" { throw StoreError(.unavailable, "injected") }
            return try StorageMapping.encode(event)
        }
        let applied = opened.service.executeInternal([Self.business("b5"), Self.business("b6"), Self.business("b7")])
        #expect(applied.count == 2, "the batch skips only the command whose record failed")
        opened.storage.encoder = { try StorageMapping.encode($0) }
        // executeInternal does not wait for durability: a durable write after it does.
        #expect(throws: Never.self) { try Self.submit(opened.service, Self.business("b8")).get() }
        opened = try Self.restartAgrees(opened, directory)
        let businesses = opened.service.snapshot().businesses
        let ids = Set(["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8"].filter { businesses[$0] != nil })
        #expect(ids == ["b1", "b4", "b5", "b7", "b8"])
        opened.storage.stop()
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
