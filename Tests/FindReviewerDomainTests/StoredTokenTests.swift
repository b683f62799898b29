import Credentials
@testable import FindReviewerDomain
import Testing

@Suite("Stored reply tokens: the server's form packed, every token given back as it was")
struct StoredTokenTests {
    static let hex = "0123456789abcdef0123456789abcdef0123456789abcdef"

    @Test("tokens of every shape come back byte for byte", arguments: [
        "", "short", "0123456789abcdef0123456789abcdef0123456789abcdef", "shard-9.0123456789abcdef0123456789abcdef0123456789abcdef",
        "ppppppppppppppp0123456789abcdef0123456789abcdef0123456789abcdef",
        "pppppppppppppppp0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "shard-9.0123456789abcdef0123456789abcdef0123456789abcdeg",
        "0123456789abcdef0123456789abcdef0123456789abcde", "é0123456789abcdef0123456789abcdef0123456789abcdef",
        "zz0123456789abcdef0123456789abcdef0123456789abcdef0", "äffffffffffffffffffffffffffffffffffffffffffffffff",
        "000000000000000000000000000000000000000000000000", "shard-1.000000000000000000000000000000000000000000000000",
        "000000000000000000000000000000000000000000000001",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ])
    func roundTrip(token: String) {
        let stored = StoredToken(token)
        #expect(stored.string == token)
        #expect(stored.isEmpty == token.isEmpty)
        #expect(stored == StoredToken(String(decoding: Array(token.utf8), as: UTF8.self)))
    }

    @Test("fresh tokens, plain and with a shard's prefix, round-trip and differ from each other")
    func freshTokens() {
        var seen = Set<StoredToken>()
        for index in 0..<500 {
            let token = (index % 2 == 0 ? "" : "shard-\(index % 7).") + TokenSource.shared.next()
            let stored = StoredToken(token)
            #expect(stored.string == token)
            #expect(seen.insert(stored).inserted)
        }
    }

    @Test("equality and the constant-time comparison agree; one changed digit anywhere is a different token")
    func equality() {
        let base = "shard-1." + Self.hex
        let stored = StoredToken(base)
        #expect(stored.equalsInConstantTime(StoredToken(base)))
        #expect(stored.indexHash == StoredToken(base).indexHash)
        for position in base.utf8.indices {
            var bytes = Array(base.utf8)
            let offset = base.utf8.distance(from: base.utf8.startIndex, to: position)
            bytes[offset] = bytes[offset] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
            let other = StoredToken(String(decoding: bytes, as: UTF8.self))
            #expect(other != stored)
            #expect(!stored.equalsInConstantTime(other))
        }
        // The same characters, packed on one side and not on the other, are not confused.
        #expect(StoredToken(Self.hex.uppercased()) != StoredToken(Self.hex))
        #expect(!StoredToken("abc").equalsInConstantTime(StoredToken("abd")))
        #expect(StoredToken("abc").equalsInConstantTime(StoredToken("abc")))
    }

    @Test("a request found by its token, in the packed form and in another form, and not by a near miss")
    func lookupThroughTheState() throws {
        for token in ["shard-3." + Self.hex, Self.hex.uppercased() + "-odd"] {
            var world = World.make()
            world.must(World.makeCreate(token: token))
            let id = try #require(world.state.requests.values.first?.id)
            #expect(try world.state.reviewerView(token: token).requestId == id)
            // The reviewer's email carries the token as it was given.
            #expect(world.state.undeliveredNotifications().map(\.replyToken) == [token])
            let near = String(token.dropLast()) + (token.last == "f" ? "e" : "f")
            #expect(throws: DomainError.self) { try world.state.reviewerView(token: near) }
            #expect(World.restored(world.state).requests.values.first?.token == token)
        }
    }
}
