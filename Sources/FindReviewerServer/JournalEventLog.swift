import FindReviewerDomain
import FindReviewerStore
import Foundation
import RPC

/// Domain events in the journal: encoded on the journal's writer thread (not under the state
/// lock), made durable with group commit.
public final class JournalEventLog: EventLog, Sendable {
    let journal: Journal

    /// A log over an open journal.
    public init(journal: Journal) { self.journal = journal }

    /// Appends; `completion` runs once the events are on disk, or with UNAVAILABLE.
    public func append(_ events: [DomainEvent], completion: @escaping @Sendable (Result<Void, RPCError>) -> Void) {
        self.journal.append({ events.map(Self.encode) }) { result in
            switch result {
            case .success: completion(.success(()))
            case .failure(let error): completion(.failure(RPCError(.unavailable, "not stored: \(error.message); nothing was changed, retry later")))
            }
        }
    }

    static func encode(_ event: DomainEvent) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(event)) ?? Data())
    }

    /// Opens `<data-dir>/journal/journal.log` and rebuilds the state from it.
    public static func recover(dataDirectory: String, logger: Logger) throws -> (JournalEventLog, DomainState) {
        let directory = (dataDirectory as NSString).appendingPathComponent("journal")
        let (journal, recovery) = try Journal.open(directory: directory)
        if recovery.truncatedBytes > 0 {
            logger.log(.warn, "cut a torn journal tail left by a crash", ["path": journal.path, "bytes": String(recovery.truncatedBytes)])
        }
        var state = DomainState()
        let decoder = JSONDecoder()
        for (index, payload) in recovery.payloads.enumerated() {
            do {
                state.apply(try decoder.decode(DomainEvent.self, from: Data(payload)))
            } catch {
                journal.close()
                throw StoreError(.corrupt, "record \(index + 1) is not a domain event this build knows: \(error)", path: journal.path)
            }
        }
        logger.log(.info, "recovered", ["events": String(recovery.payloads.count), "requests": String(state.requests.count)])
        return (JournalEventLog(journal: journal), state)
    }
}
