/// A parsed JSON document. Numbers keep their source text so 64-bit integers stay exact.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as written, e.g. `-12`, `3.5e2`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Deepest nesting `parse` accepts; protos have no recursion, so honest input is shallow.
    public static let maximumDepth = 64

    /// Parses RFC 8259 JSON text.
    public static func parse(_ text: String) throws(MessageError) -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        return try parser.parseDocument()
    }

    /// The JSON text of this value; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        self.write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        let newline = pretty ? "\n" : ""
        func pad(_ level: Int) -> String { pretty ? String(repeating: "  ", count: level) : "" }
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let text): out += text
        case .string(let string): JSONValue.writeString(string, into: &out)
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (index, element) in elements.enumerated() {
                out += pad(indent + 1)
                element.write(into: &out, pretty: pretty, indent: indent + 1)
                out += (index + 1 < elements.count ? "," : "") + newline
            }
            out += pad(indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                out += pad(indent + 1)
                JSONValue.writeString(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, indent: indent + 1)
                out += (index + 1 < members.count ? "," : "") + newline
            }
            out += pad(indent) + "}"
        }
    }

    private static func writeString(_ string: String, into out: inout String) {
        out += "\""
        Self.appendEscaped(string, to: &out)
        out += "\""
    }

    /// `text` as it stands between the quotes of a JSON string: `"` (unless
    /// `escapingQuotes` is false), `\`, control characters and DEL escaped; a text without any
    /// of them is appended as it is. (The logger writes its lines with it too.)
    public static func appendEscaped(_ text: String, to out: inout String, escapingQuotes: Bool = true) {
        func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F || byte == 0x5C || (escapingQuotes && byte == 0x22) }
        guard text.utf8.contains(where: needsEscape) else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where escapingQuotes: out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.utf8.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
private struct JSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(MessageError) -> JSONValue {
        let value = try self.parseValue()
        self.skipWhitespace()
        guard self.position == self.bytes.count else { throw self.error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ what: String) -> MessageError {
        MessageError(.invalidJSON, "invalid JSON at byte \(self.position): \(what)")
    }

    private mutating func skipWhitespace() {
        while self.position < self.bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(self.bytes[self.position]) {
            self.position += 1
        }
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(MessageError) -> JSONValue {
        let utf8 = Array(literal.utf8)
        guard self.position + utf8.count <= self.bytes.count,
            Array(self.bytes[self.position..<self.position + utf8.count]) == utf8
        else { throw self.error("expected \(literal)") }
        self.position += utf8.count
        return value
    }

    private mutating func parseValue() throws(MessageError) -> JSONValue {
        self.skipWhitespace()
        guard self.position < self.bytes.count else { throw self.error("unexpected end of input") }
        switch self.bytes[self.position] {
        case UInt8(ascii: "{"): return try self.parseObject()
        case UInt8(ascii: "["): return try self.parseArray()
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): return try self.expect("true", .bool(true))
        case UInt8(ascii: "f"): return try self.expect("false", .bool(false))
        case UInt8(ascii: "n"): return try self.expect("null", .null)
        default: return try self.parseNumber()
        }
    }

    private mutating func enter() throws(MessageError) {
        self.depth += 1
        guard self.depth <= JSONValue.maximumDepth else {
            throw self.error("nested deeper than \(JSONValue.maximumDepth) levels")
        }
    }

    private mutating func parseObject() throws(MessageError) -> JSONValue {
        try self.enter()
        defer { self.depth -= 1 }
        self.position += 1
        var members: [(String, JSONValue)] = []
        self.skipWhitespace()
        if self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "}") {
            self.position += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "\"") else {
                throw self.error("expected a member name in double quotes")
            }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: ":") else {
                throw self.error("expected ':' after member name \"\(key)\"")
            }
            self.position += 1
            members.append((key, try self.parseValue()))
            self.skipWhitespace()
            guard self.position < self.bytes.count else { throw self.error("unterminated object") }
            let next = self.bytes[self.position]
            self.position += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { throw self.error("expected ',' or '}' in object") }
        }
    }

    private mutating func parseArray() throws(MessageError) -> JSONValue {
        try self.enter()
        defer { self.depth -= 1 }
        self.position += 1
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "]") {
            self.position += 1
            return .array(elements)
        }
        while true {
            elements.append(try self.parseValue())
            self.skipWhitespace()
            guard self.position < self.bytes.count else { throw self.error("unterminated array") }
            let next = self.bytes[self.position]
            self.position += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            guard next == UInt8(ascii: ",") else { throw self.error("expected ',' or ']' in array") }
        }
    }

    private mutating func parseHex4() throws(MessageError) -> UInt32 {
        guard self.position + 4 <= self.bytes.count,
            let value = UInt32(String(decoding: self.bytes[self.position..<self.position + 4], as: UTF8.self), radix: 16)
        else { throw self.error("bad \\u escape") }
        self.position += 4
        return value
    }

    private mutating func parseString() throws(MessageError) -> String {
        self.position += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() throws(MessageError) {
            guard !run.isEmpty else { return }
            guard let text = String(validating: run, as: UTF8.self) else { throw self.error("string is not valid UTF-8") }
            scalars.append(contentsOf: text.unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        while self.position < self.bytes.count {
            let byte = self.bytes[self.position]
            self.position += 1
            switch byte {
            case UInt8(ascii: "\""):
                try flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush()
                guard self.position < self.bytes.count else { break }
                let escape = self.bytes[self.position]
                self.position += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try self.parseHex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard self.position + 2 <= self.bytes.count, self.bytes[self.position] == UInt8(ascii: "\\"),
                            self.bytes[self.position + 1] == UInt8(ascii: "u")
                        else { throw self.error("unpaired surrogate") }
                        self.position += 2
                        let low = try self.parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw self.error("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw self.error("unpaired surrogate") }
                    scalars.append(scalar)
                default: throw self.error("unknown escape")
                }
            case 0..<0x20:
                throw self.error("control character in string")
            default:
                run.append(byte)
            }
        }
        throw self.error("unterminated string")
    }

    private mutating func parseNumber() throws(MessageError) -> JSONValue {
        let start = self.position
        func digits() -> Int {
            let from = self.position
            while self.position < self.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.position]) {
                self.position += 1
            }
            return self.position - from
        }
        if self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: "-") { self.position += 1 }
        let integerStart = self.position
        guard digits() > 0 else { throw self.error("unexpected character") }
        if self.bytes[integerStart] == UInt8(ascii: "0"), self.position - integerStart > 1 {
            throw self.error("leading zero in number")
        }
        if self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: ".") {
            self.position += 1
            guard digits() > 0 else { throw self.error("digits expected after '.'") }
        }
        if self.position < self.bytes.count, self.bytes[self.position] | 0x20 == UInt8(ascii: "e") {
            self.position += 1
            if self.position < self.bytes.count, [UInt8(ascii: "+"), UInt8(ascii: "-")].contains(self.bytes[self.position]) {
                self.position += 1
            }
            guard digits() > 0 else { throw self.error("digits expected in exponent") }
        }
        return .number(String(decoding: self.bytes[start..<self.position], as: UTF8.self))
    }
}
