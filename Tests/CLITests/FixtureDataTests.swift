import FindReviewerTestSupport
import Foundation
import Testing

/// A data directory written by an earlier release still loads to the same state: the server
/// starts on a copy of `Tests/Fixtures/<release>/data` at the fixture's test-clock time and
/// gives the answers that release gave (`calls.jsonl`, written by `scripts/make-fixture.py`).
/// Every field the old answer holds must come back with the same value; a newer release may
/// add fields.
@Suite("data directories of earlier releases")
struct FixtureDataTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    @Test("release 0.1.0: a snapshot, the journal after it and the outbox load to the same answers", arguments: ["release-0.1.0"])
    func loadsToTheSameAnswers(release: String) throws {
        let fixture = Self.fixtures.appendingPathComponent(release)
        let copy = ServerProcess.makeDataDirectory()
        try FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("data"), to: copy)
        let clock = try String(contentsOf: fixture.appendingPathComponent("clock"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(arguments: ["--test-clock", "--test-clock-start", clock], dataDirectory: copy)
        defer {
            _ = server.stop()
            server.cleanUp()
        }
        let environment = ["FINDREVIEWER_SERVER": server.address, "FINDREVIEWER_DATA_DIR": copy.path]
        let lines = try String(contentsOf: fixture.appendingPathComponent("calls.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count >= 10)
        for line in lines {
            let call = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let method = try #require(call["method"] as? String)
            let request = String(decoding: try JSONSerialization.data(withJSONObject: call["request"] ?? [:]), as: UTF8.self)
            let result = try ToolProcess.run("findreviewer", ["call", method, request, "--json"], environment: environment)
            #expect(result.status == 0, "\(method) \(request): \(result.errors)")
            guard result.status == 0 else { continue }
            let answer = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
            let missing = Self.missing(call["answer"] ?? [:], in: answer, path: method)
            #expect(missing.isEmpty, "\(method) \(request) lost what \(release) answered:\n\(missing.joined(separator: "\n"))")
        }
    }

    /// The places where `expected` holds something `actual` does not (objects may gain keys;
    /// lists keep their length and order).
    static func missing(_ expected: Any, in actual: Any, path: String) -> [String] {
        switch expected {
        case let object as [String: Any]:
            guard let other = actual as? [String: Any] else { return ["\(path): expected an object, got \(actual)"] }
            return object.keys.sorted().flatMap { key in
                other[key].map { Self.missing(object[key]!, in: $0, path: "\(path).\(key)") } ?? ["\(path).\(key): absent"]
            }
        case let list as [Any]:
            guard let actualList = actual as? [Any], actualList.count == list.count else {
                return ["\(path): expected \(list.count) items, got \(actual)"]
            }
            return zip(list, actualList).enumerated().flatMap { index, pair in Self.missing(pair.0, in: pair.1, path: "\(path)[\(index)]") }
        default:
            return (expected as? NSObject)?.isEqual(actual) == true ? [] : ["\(path): expected \(expected), got \(actual)"]
        }
    }
}
