import Foundation
@testable import FindReviewerDomain

/// Foundation's JSON coders with sorted keys, for snapshot-style round trips in tests.
enum JSONEncoderLite {
    static func encode(_ state: DomainState) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(state)
    }

    static func decode(_ data: Data) throws -> DomainState {
        try JSONDecoder().decode(DomainState.self, from: data)
    }
}
