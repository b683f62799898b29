import Foundation
@testable import RPC
import Testing
import Transport

/// Protos/PROTOCOL.md must match the code: its worked example is sent as written.
@Suite("PROTOCOL.md matches the implementation")
struct ProtocolDocumentTests {
    static func hexBlock(_ name: String) throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Protos/PROTOCOL.md"), encoding: .utf8)
        let start = try #require(text.range(of: "```hex \(name)\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return text[start.upperBound..<end.lowerBound].split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt8($0, radix: 16)! }
    }

    @Test("the worked example: the request bytes get exactly the documented response bytes")
    func workedExample() throws {
        let request = try Self.hexBlock("request")
        let expected = try Self.hexBlock("response")
        let server = try TestServer()
        let peer = try RawPeer(port: server.port, sendPreface: false)
        try peer.send(request)
        var received: [UInt8] = []
        let end = Date().addingTimeInterval(5)
        while received.count < expected.count, Date() < end {
            var buffer = [UInt8](repeating: 0, count: 256)
            var poller = pollfd(fd: peer.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(peer.fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        #expect(received == expected)
    }
}
