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

    @Test("SIGKILL under concurrent writes, 30 times: every acknowledged write is there after restart")
    func crashLoop() throws {
        let directory = ServerProcess.makeDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SystemRandomNumberGenerator()
        let acknowledged = Acknowledged()
        for round in 0..<30 {
            let server = try ServerProcess(dataDirectory: directory)
            let key = try server.key(role: "admin")
            let address = "127.0.0.1:\(server.port)"
            // Every id written before this round must still be readable.
            let reader = try FindReviewerClient(address: address, key: key)
            for id in acknowledged.all {
                #expect(throws: Never.self, "round \(round): \(id) lost") { _ = try reader.getReviewer(GetReviewerRequest(reviewerId: id)) }
            }
            // Four writers; the server is killed after a random number of acknowledged writes.
            let killAfter = Int.random(in: 5...60, using: &generator)
            let group = DispatchGroup()
            for writer in 0..<4 {
                DispatchQueue.global().async(group: group) {
                    guard let client = try? FindReviewerClient(address: address, key: key, timeout: .seconds(5)) else { return }
                    for index in 0..<1_000 {
                        let id = "r\(round)-w\(writer)-\(index)"
                        do {
                            _ = try client.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: id, displayName: id, email: "\(id)@m.example")))
                            if acknowledged.add(id) >= killAfter { server.kill() }
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
        let server = try ServerProcess(dataDirectory: directory)
        defer { server.stop() }
        let reader = try FindReviewerClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        for id in acknowledged.all { #expect(throws: Never.self, "\(id) lost") { _ = try reader.getReviewer(GetReviewerRequest(reviewerId: id)) } }
        #expect(acknowledged.all.count >= 30 * 5)
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
