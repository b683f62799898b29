import FindReviewerTestSupport
import Foundation
import Testing

/// Every command in README.md's checked example blocks runs as written against a fresh server,
/// from a directory whose `./data` is the server's data directory (as after `make run`), and
/// exits with the status its comment gives (0 when it gives none).
@Suite("README examples work as written")
struct ReadmeExamplesTests {
    /// One command of a block: its text (heredoc included) and the exit statuses it may have.
    struct Example: Equatable {
        var line: Int
        var command: String
        var allowed: [Int32]
    }

    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The fenced `sh` blocks that follow a `<!-- checked-examples ... -->` line, split into commands.
    static func blocks(in text: String) -> [[Example]] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [[Example]] = []
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            guard lines[index].hasPrefix("<!-- checked-examples"), index + 1 < lines.count, lines[index + 1] == "```sh" else { continue }
            var examples: [Example] = []
            var cursor = index + 2
            while cursor < lines.count && lines[cursor] != "```" {
                let first = lines[cursor]
                let start = cursor
                cursor += 1
                if first.trimmingCharacters(in: .whitespaces).isEmpty || first.hasPrefix("#") { continue }
                var command = first
                if first.contains("<<'EOF'") {
                    while cursor < lines.count && lines[cursor] != "EOF" {
                        command += "\n" + lines[cursor]
                        cursor += 1
                    }
                    command += "\nEOF"
                    cursor += 1
                }
                while command.hasSuffix("\\") && cursor < lines.count {
                    command += "\n" + lines[cursor]
                    cursor += 1
                }
                examples.append(Example(line: start + 1, command: command, allowed: self.allowedStatuses(first)))
            }
            blocks.append(examples)
            index = cursor
        }
        return blocks
    }

    /// `# exit 73: ...` → [73]; `# exit 0 or 73` → [0, 73]; no such comment → [0].
    static func allowedStatuses(_ line: String) -> [Int32] {
        guard let range = line.range(of: #"#[^'"]*\bexit [0-9]+( or [0-9]+)*"#, options: .regularExpression) else { return [0] }
        let words = line[range].split(separator: " ")
        return words.compactMap { Int32($0.trimmingCharacters(in: .punctuationCharacters)) }
    }

    @Test("the extraction finds the blocks, heredocs and expected statuses")
    func extraction() throws {
        let sample = """
            <!-- checked-examples: x -->
            ```sh
            findreviewer health
            findreviewer import - <<'EOF'
            {"a": 1}
            EOF
            findreviewer requests show --business a x   # exit 69: NOT_FOUND
            findreviewer snapshot   # exit 0 or 73: maybe
            ```
            ```sh
            not checked
            ```
            """
        let blocks = Self.blocks(in: sample)
        #expect(blocks.count == 1)
        #expect(blocks[0].map(\.command.first) == ["f", "f", "f", "f"])
        #expect(blocks[0][1].command == "findreviewer import - <<'EOF'\n{\"a\": 1}\nEOF")
        #expect(blocks[0].map(\.allowed) == [[0], [0], [69], [0, 73]])
        #expect(blocks[0].map(\.line) == [3, 4, 7, 8])
    }

    @Test("every checked example in README.md exits as documented against a real server")
    func readmeExamples() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let blocks = Self.blocks(in: text)
        #expect(blocks.count == 2)
        #expect(blocks.flatMap { $0 }.count >= 20)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // `./data` is the server's data directory, as after `make run`; only the port differs from 7450.
        let server = try ServerProcess(arguments: ["--test-clock"], dataDirectory: directory.appendingPathComponent("data"))
        defer { server.stop() }
        for block in blocks {
            // One shell per block, so `token=$(...)` carries over; each command reports its status.
            var script = ""
            for example in block {
                script += example.command + "\nprintf '@@ %s %s\\n' \(example.line) $? >&2\n"
            }
            let result = try ToolProcess.shell(script, environment: ["FINDREVIEWER_SERVER": server.address], directory: directory)
            var statuses: [Int: Int32] = [:]
            for line in result.errors.split(separator: "\n") where line.hasPrefix("@@ ") {
                let parts = line.split(separator: " ")
                if parts.count == 3, let number = Int(parts[1]), let status = Int32(parts[2]) { statuses[number] = status }
            }
            for example in block {
                let status = statuses[example.line]
                #expect(
                    status.map { example.allowed.contains($0) } == true,
                    "README.md:\(example.line) exited \(status.map(String.init) ?? "?"), expected \(example.allowed): \(example.command)\n\(result.errors)")
            }
        }
    }
}
