import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// Acknowledged means durable (DESIGN.md §5), checked by killing the real server.
@Suite("Durability across crashes, end to end", .serialized)
struct DurabilityTests {
    @Test("state survives a clean restart")
    func restart() throws {
        let directory = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var server = try ServerProcess(dataDirectory: directory)
        var admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")))
        _ = try admin.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme"))
        #expect(server.stop() == 0)
        server = try ServerProcess(dataDirectory: directory)
        defer { server.stop() }
        admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        #expect(try admin.getBusiness(GetBusinessRequest(businessId: "acme")).business?.introAcknowledged == true)
    }

    @Test("a snapshot on request: written, the journal before it removed, and the state equal after a restart")
    func snapshotRestart() throws {
        let directory = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var server = try ServerProcess(dataDirectory: directory)
        var admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        for index in 0..<50 { _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Self.reviewer("before-\(index)"))) }
        let snapshot = try admin.triggerSnapshot(TriggerSnapshotRequest())
        #expect(snapshot.sequence == 50)
        #expect(snapshot.path == "snapshots/00000000000000000050.snap")
        #expect(snapshot.sizeBytes > 50 * 20)
        for index in 0..<7 { _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Self.reviewer("after-\(index)"))) }
        let journal = directory.appendingPathComponent("journal").path
        #expect(try FileManager.default.contentsOfDirectory(atPath: journal).sorted() == ["00000000000000000051.log"])
        #expect(server.stop() == 0)
        server = try ServerProcess(dataDirectory: directory)
        defer { server.stop() }
        #expect(server.logs.contains("snapshot_sequence=50"), "\(server.logs)")
        #expect(server.logs.contains("journal_events=7"), "\(server.logs)")
        admin = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        for id in (0..<50).map({ "before-\($0)" }) + (0..<7).map({ "after-\($0)" }) {
            #expect(try admin.getReviewer(GetReviewerRequest(reviewerId: id)).reviewer?.email == "\(id)@m.example")
        }
        // A second snapshot replaces the first.
        #expect(try admin.triggerSnapshot(TriggerSnapshotRequest()).sequence == 57)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("snapshots").path) == ["00000000000000000057.snap"])
    }

    static func reviewer(_ id: String) -> Reviewer { Reviewer(id: id, displayName: id, email: "\(id)@m.example") }

    /// Rounds of the crash test: 30 in `make test`; `make crash-test` runs 200.
    static let crashRounds = Int(ProcessInfo.processInfo.environment["FINDREVIEWER_CRASH_ROUNDS"] ?? "") ?? 30

    @Test("SIGKILL under concurrent writes and snapshots, at random moments: every acknowledged write is there after restart")
    func crashLoop() throws {
        let directory = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SystemRandomNumberGenerator()
        let acknowledged = Acknowledged()
        let attempted = Acknowledged()
        // Snapshots every few KiB of journal, so that kills also land during snapshots and rotations.
        let arguments = ["--snapshot-every-bytes", "4096"]
        var tornTails = 0
        for round in 0..<Self.crashRounds {
            let server = try ServerProcess(arguments: arguments, dataDirectory: directory)
            if server.logs.contains("cut a torn journal tail") { tornTails += 1 }
            let key = try server.key(role: "admin")
            let address = "127.0.0.1:\(server.port)"
            // Every id written before this round must still be readable.
            let reader = try FindReviewerClient(address: address, key: key)
            for id in acknowledged.all {
                #expect(throws: Never.self, "round \(round): \(id) lost") { _ = try reader.getReviewer(GetReviewerRequest(reviewerId: id)) }
            }
            // Four writers (one also asks for snapshots); the server is killed after a random
            // number of acknowledged writes.
            let killAfter = Int.random(in: 5...60, using: &generator)
            let group = DispatchGroup()
            for writer in 0..<4 {
                DispatchQueue.global().async(group: group) {
                    guard let client = try? FindReviewerClient(address: address, key: key, timeout: .seconds(5)) else { return }
                    for index in 0..<1_000 {
                        let id = "r\(round)-w\(writer)-\(index)"
                        do {
                            _ = attempted.add(id)
                            _ = try client.upsertReviewer(UpsertReviewerRequest(reviewer: Self.reviewer(id)))
                            if acknowledged.add(id) >= killAfter { server.kill() }
                            if writer == 0, index % 7 == 3 { _ = try client.triggerSnapshot(TriggerSnapshotRequest()) }
                        } catch {
                            return  // the server is gone
                        }
                    }
                }
            }
            group.wait()
            server.kill()
            acknowledged.resetRound()
        }
        let server = try ServerProcess(arguments: arguments, dataDirectory: directory)
        defer { server.stop() }
        let reader = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        for id in acknowledged.all { #expect(throws: Never.self, "\(id) lost") { _ = try reader.getReviewer(GetReviewerRequest(reviewerId: id)) } }
        #expect(acknowledged.all.count >= Self.crashRounds * 5)
        // Consistent: every reviewer present was attempted (nothing invented, nothing doubled),
        // and the journal after the newest snapshot holds only what the snapshot lacks.
        let attemptedIds = Set(attempted.all)
        var present = 0
        for id in attemptedIds where (try? reader.getReviewer(GetReviewerRequest(reviewerId: id))) != nil { present += 1 }
        #expect(present >= acknowledged.all.count)
        #expect(present <= attemptedIds.count)
        #expect(server.logs.contains("recovered"))
        print(
            "crash test: \(Self.crashRounds) SIGKILLs; all \(acknowledged.all.count) acknowledged writes present after the restarts;"
                + " \(present) of \(attemptedIds.count) attempted present; \(tornTails) restarts cut a torn journal tail")
    }
}

/// Ids whose writes were acknowledged, and how many in the current round.
final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    private var round = 0

    /// Records an id; returns the count of this round.
    func add(_ id: String) -> Int {
        self.lock.withLock {
            self.ids.append(id)
            self.round += 1
            return self.round
        }
    }

    func resetRound() { self.lock.withLock { self.round = 0 } }
    var all: [String] { self.lock.withLock { self.ids } }
}
