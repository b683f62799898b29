/// A plain-text table: a header row and left-aligned columns two spaces apart.
public struct Table: Sendable {
    /// Column titles.
    public var headers: [String]
    /// Cells, one array per row, as many as `headers`.
    public var rows: [[String]]

    /// Creates a table.
    public init(_ headers: [String], rows: [[String]] = []) {
        self.headers = headers
        self.rows = rows
    }

    /// Appends a row.
    public mutating func append(_ row: [String]) { self.rows.append(row) }

    /// The table as lines of text ending in a newline; an empty table says so under the header.
    public func render(empty: String = "(none)") -> String {
        let cells = [self.headers] + self.rows.map { row in row.map { Self.oneLine($0) } }
        var widths = [Int](repeating: 0, count: self.headers.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        var out = ""
        for row in cells {
            var line = ""
            for (index, cell) in row.enumerated() where index < widths.count {
                let isLast = index == widths.count - 1
                line += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            out += line.trimmingTrailingSpaces + "\n"
        }
        if self.rows.isEmpty { out += empty + "\n" }
        return out
    }

    /// Label/value lines: `status    pending`. Empty values are left out.
    public static func record(_ pairs: [(String, String)]) -> String {
        let shown = pairs.filter { !$0.1.isEmpty }
        let width = shown.map { $0.0.count }.max() ?? 0
        var out = ""
        for (label, value) in shown {
            let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
            out += label + String(repeating: " ", count: width - label.count + 2) + (lines.first.map(String.init) ?? "") + "\n"
            for line in lines.dropFirst() { out += String(repeating: " ", count: width + 2) + line + "\n" }
        }
        return out
    }

    /// Newlines and tabs shown as `⏎` and spaces, and long text cut, so a cell stays on one line.
    static func oneLine(_ text: String, limit: Int = 60) -> String {
        let flat = text.replacingOccurrences(of: "\r\n", with: " ⏎ ").replacingOccurrences(of: "\n", with: " ⏎ ")
            .replacingOccurrences(of: "\t", with: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.hasSuffix(" ") { copy.removeLast() }
        return copy
    }
}
