import Foundation
import Testing

/// protobuf-c has no size limits of its own, so every unbounded field must state its bound.
@Suite("Every string, bytes and repeated field in Protos/ documents its maximum")
struct ProtoLimitsTests {
    static let protoDirectory = Fixtures.packageRoot.appendingPathComponent("Protos/findreviewer/v1")

    /// Ids and page tokens are bounded by the file-wide convention stated in findreviewer.proto.
    static func coveredByConvention(_ field: String) -> Bool {
        field == "id" || field.hasSuffix("_id") || field.hasSuffix("page_token")
    }

    static let files: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: protoDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".proto") }.sorted()
    }()

    @Test("each field's comment (above or on the line, or the message's) states a maximum", arguments: files)
    func documented(file: String) throws {
        let text = try String(contentsOf: Self.protoDirectory.appendingPathComponent(file), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let fieldPattern = try Regex(#"^\s*(repeated\s+)?(string|bytes|[A-Z][A-Za-z]*|[a-z0-9]+)\s+([a-z_0-9]+)\s*=\s*\d+;"#)
        let boundPattern = try Regex(#"[Mm]ax\b|\d+\.\.\d+|Limits as in|see [A-Z][A-Za-z]*\.[a-z_]+"#)
        var missing: [String] = []
        for (index, line) in lines.enumerated() {
            // One-line messages (`message X { string a = 1; }`) hold ids only; check them too.
            for statement in line.split(separator: ";").map({ String($0) + ";" }) {
                let candidate = statement.replacingOccurrences(of: #"^.*\{\s*"#, with: "", options: .regularExpression)
                guard let match = candidate.firstMatch(of: fieldPattern) else { continue }
                let repeated = match.output[1].substring != nil
                let type = String(match.output[2].substring ?? "")
                let name = String(match.output[3].substring ?? "")
                guard repeated || type == "string" || type == "bytes" else { continue }
                if !repeated && Self.coveredByConvention(name) { continue }
                var comments = line.contains("//") ? [line] : []
                var above = index - 1
                while above >= 0, lines[above].trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                    comments.append(lines[above])
                    above -= 1
                }
                if !comments.contains(where: { $0.contains(boundPattern) }) {
                    missing.append("\(file):\(index + 1) \(name)")
                }
            }
        }
        #expect(missing.isEmpty, "fields without a documented maximum: \(missing)")
    }
}
