import Foundation
import Messages
@testable import RPC
import Testing

/// Every input in fuzz/regressions (crashes the fuzzer once found, and hostile shapes) goes
/// through the same paths as the fuzzer's entry point, and must end in errors, not crashes.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz/regressions")

    static let inputs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()

    @Test("regression inputs are handled", arguments: inputs)
    func replay(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(name)))
        for preface in [true, false] {
            var decoder = FrameDecoder(expectingPreface: preface)
            decoder.feed(bytes)
            while let frame = try? decoder.next() {
                _ = try? RequestHeader(serializedBytes: frame.header)
                _ = try? CreateInfoRequestRequest(serializedBytes: frame.payload)
            }
        }
        _ = try? GetInfoRequestResponse(serializedBytes: bytes)
        _ = try? ListInfoRequestsResponse(serializedBytes: bytes)
        _ = try? ProtoJSON.jsonString(typeName: "findreviewer.v1.ListReviewsResponse", wireBytes: bytes)
        #expect(Self.inputs.count >= 3)
    }
}
