import Foundation

/// What the documents say, read from the files a client author reads: the comments of
/// `Protos/findreviewer/v1/*.proto` and the tables of `Protos/PROTOCOL.md`.
enum ProtoDocument {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: self.root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static var protoFiles: [String] {
        let directory = self.root.appendingPathComponent("Protos/findreviewer/v1")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".proto") }.sorted().map { "Protos/findreviewer/v1/\($0)" }
    }

    /// The comment lines directly above each field, by "MessageShortName.field_name", and above
    /// each rpc, by "package.Service/Method"; and each rpc's options as written in its body
    /// (`option (findreviewer.v1.roles) = "admin";` → ("findreviewer.v1.roles", "admin")).
    struct Comments {
        var fields: [String: [String]] = [:]
        var methods: [String: [String]] = [:]
        var methodOptions: [String: [(name: String, value: String)]] = [:]
    }

    static func comments() throws -> Comments {
        var result = Comments()
        for path in self.protoFiles {
            var package = ""
            var message: String?
            var service: String?
            var method: String?
            var pending: [String] = []
            for raw in try self.text(path).split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("//") {
                    pending.append(line.dropFirst(2).trimmingCharacters(in: .whitespaces))
                    continue
                }
                if line.hasPrefix("package ") {
                    package = line.dropFirst("package ".count).trimmingCharacters(in: CharacterSet(charactersIn: "; "))
                } else if let name = self.word(after: "message ", in: line) {
                    // One-line messages ("message X { string y = 1; }") have no field comments.
                    message = line.hasSuffix("}") ? nil : name
                } else if let name = self.word(after: "service ", in: line) {
                    service = name
                } else if let open = method, line.hasPrefix("option (") {
                    // `option (NAME) = VALUE;` inside an rpc's body.
                    let body = line.dropFirst("option (".count)
                    if let close = body.firstIndex(of: ")"), let equals = body.firstIndex(of: "=") {
                        let value = body[body.index(after: equals)...].trimmingCharacters(in: CharacterSet(charactersIn: " ;\""))
                        result.methodOptions[open, default: []].append((String(body[..<close]), value))
                    }
                } else if line == "}" {
                    if method != nil {
                        method = nil
                    } else {
                        message = nil
                        service = nil
                    }
                } else if let service, let name = self.word(after: "rpc ", in: line) {
                    let full = "\(package).\(service)/\(name)"
                    result.methods[full] = pending
                    result.methodOptions[full] = []
                    if line.hasSuffix("{") { method = full }
                } else if let message, let name = self.fieldName(line) {
                    result.fields["\(message).\(name)"] = pending
                }
                pending = []
            }
        }
        return result
    }

    private static func word(after prefix: String, in line: String) -> String? {
        guard line.hasPrefix(prefix) else { return nil }
        return String(line.dropFirst(prefix.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    /// `repeated RequestStatus statuses = 3;` → `statuses`.
    private static func fieldName(_ line: String) -> String? {
        let words = line.split(separator: " ")
        guard let equals = words.firstIndex(of: "="), equals >= 1, line.hasSuffix(";") || line.contains(";") else { return nil }
        return String(words[equals - 1])
    }

    /// The rows of the Markdown table whose header row starts with `firstHeader`, as cells
    /// (backticks removed), without the header and separator rows.
    static func table(in text: String, firstHeader: String) -> [[String]] {
        var rows: [[String]] = []
        var inside = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("|") else {
                if inside { break }
                continue
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "") }
            if !inside {
                if cells.first == firstHeader { inside = true }
                continue
            }
            if cells.allSatisfy({ $0.allSatisfy { $0 == "-" || $0 == ":" } }) { continue }
            rows.append(cells)
        }
        return rows
    }
}
