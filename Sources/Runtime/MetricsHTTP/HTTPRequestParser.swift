/// Incremental parsing of an HTTP/1.x request head: bytes in, a head or a refusal out, pure.
///
/// Feed bytes as they arrive; the result is `.incomplete` until the empty line that ends the
/// header section. Every byte is checked as it arrives, so garbage (a TLS hello, the RPC
/// preface, a binary blob) is refused at its first impossible byte, and every limit is checked
/// before more is kept, so no request makes the parser hold more than the limits allow.
/// Lines end in CRLF; a bare LF is accepted as well (RFC 9112 §2.2), a bare CR is not.
/// Bodies are never read: the server answers and closes.
public struct HTTPRequestParser: Sendable {
    /// What the bytes so far amount to.
    public enum Outcome: Sendable, Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole, valid head. Later bytes (a body, a pipelined request) are ignored.
        case complete(HTTPRequestHead)
        /// A request to refuse with `status`; `reason` says why, for the response body.
        case refused(HTTPStatus, String)
    }

    private enum Phase {
        /// Empty lines before the request line (ignored, RFC 9112 §2.2).
        case leading
        case method
        case target
        case version
        case headers
        case done(Outcome)
    }

    /// The limits in force.
    public let limits: HTTPLimits
    private var phase = Phase.leading
    /// Bytes of the request line so far (including leading empty lines).
    private var requestLineBytes = 0
    private var method: [UInt8] = []
    private var target: [UInt8] = []
    private var version: [UInt8] = []
    /// The header line being read (without its line end).
    private var line: [UInt8] = []
    private var headerBytes = 0
    private var fields: [HTTPRequestHead.Field] = []
    /// A CR was the last byte: only LF may follow.
    private var afterCR = false

    /// A parser with `limits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Parses `bytes` after those fed before.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        if case .done(let outcome) = self.phase { return outcome }
        for byte in bytes {
            if let outcome = self.step(byte) {
                self.phase = .done(outcome)
                return outcome
            }
        }
        return .incomplete
    }

    /// Parses `bytes` after those fed before.
    public mutating func feed(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { self.feed($0) }
    }

    /// One byte; a non-nil result ends parsing.
    private mutating func step(_ byte: UInt8) -> Outcome? {
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        if self.afterCR {
            self.afterCR = false
            guard byte == lf else { return .refused(.badRequest, "a CR not followed by LF") }
            return self.endOfLine()
        }
        switch self.phase {
        case .leading, .method, .target, .version:
            self.requestLineBytes += 1
            if self.requestLineBytes > self.limits.maxRequestLineBytes {
                return .refused(.uriTooLong, "the request line exceeds \(self.limits.maxRequestLineBytes) bytes")
            }
        case .headers:
            self.headerBytes += 1
            if self.headerBytes > self.limits.maxHeaderBytes {
                return .refused(.headerFieldsTooLarge, "the header section exceeds \(self.limits.maxHeaderBytes) bytes")
            }
        case .done(let outcome):
            return outcome
        }
        if byte == cr {
            self.afterCR = true
            return nil
        }
        if byte == lf { return self.endOfLine() }
        switch self.phase {
        case .leading:
            guard Self.isTokenByte(byte) else { return .refused(.badRequest, "not an HTTP request (byte \(byte) at its start)") }
            self.method.append(byte)
            self.phase = .method
        case .method:
            if byte == UInt8(ascii: " ") {
                self.phase = .target
            } else {
                guard Self.isTokenByte(byte) else { return .refused(.badRequest, "not an HTTP request (byte \(byte) in the method)") }
                self.method.append(byte)
            }
        case .target:
            if byte == UInt8(ascii: " ") {
                guard !self.target.isEmpty else { return .refused(.badRequest, "the request line has no target") }
                self.phase = .version
            } else {
                guard byte > 0x20 && byte < 0x7F else { return .refused(.badRequest, "byte \(byte) in the request target") }
                self.target.append(byte)
            }
        case .version:
            self.version.append(byte)
            // "HTTP/" then digit "." digit; refused as soon as it cannot become that.
            let index = self.version.count - 1
            let fits: Bool
            switch index {
            case 0..<5: fits = byte == Self.versionPrefix[index]
            case 5, 7: fits = Self.isDigit(byte)
            case 6: fits = byte == UInt8(ascii: ".")
            default: fits = false
            }
            guard fits else { return .refused(.badRequest, "the request line does not end in HTTP/<digit>.<digit>") }
        case .headers:
            if self.line.count >= self.limits.maxHeaderLineBytes {
                return .refused(.headerFieldsTooLarge, "a header line exceeds \(self.limits.maxHeaderLineBytes) bytes")
            }
            self.line.append(byte)
        case .done(let outcome):
            return outcome
        }
        return nil
    }

    /// A line ended (LF, or CRLF).
    private mutating func endOfLine() -> Outcome? {
        switch self.phase {
        case .leading:
            return nil
        case .method, .target:
            return .refused(.badRequest, "the request line is not METHOD SP TARGET SP HTTP-VERSION")
        case .version:
            guard self.version.count == 8 else {
                return .refused(.badRequest, "the request line does not end in HTTP/<digit>.<digit>")
            }
            guard self.version[5] == UInt8(ascii: "1") else {
                return .refused(.versionNotSupported, "HTTP/\(Character(Unicode.Scalar(self.version[5]))) is not supported; use HTTP/1.1")
            }
            self.phase = .headers
            return nil
        case .headers:
            if self.line.isEmpty { return self.finish() }
            defer { self.line.removeAll(keepingCapacity: true) }
            return self.addField()
        case .done(let outcome):
            return outcome
        }
    }

    private mutating func addField() -> Outcome? {
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        guard self.line[0] != space && self.line[0] != tab else {
            return .refused(.badRequest, "a folded header line (obsolete line folding is not accepted)")
        }
        guard let colon = self.line.firstIndex(of: UInt8(ascii: ":")) else {
            return .refused(.badRequest, "a header line without a colon")
        }
        let name = self.line[..<colon]
        guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else {
            return .refused(.badRequest, "a header name that is not a token (no spaces before the colon)")
        }
        var value = self.line[(colon + 1)...]
        while let first = value.first, first == space || first == tab { value.removeFirst() }
        while let last = value.last, last == space || last == tab { value.removeLast() }
        guard value.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 != 0x7F) }) else {
            return .refused(.badRequest, "a control character in the value of \(String(decoding: name, as: UTF8.self))")
        }
        guard self.fields.count < self.limits.maxHeaderCount else {
            return .refused(.headerFieldsTooLarge, "more than \(self.limits.maxHeaderCount) header fields")
        }
        self.fields.append(HTTPRequestHead.Field(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        return nil
    }

    private func finish() -> Outcome {
        let minor = Int(self.version[7] - UInt8(ascii: "0"))
        let target = String(decoding: self.target, as: UTF8.self)
        guard let path = Self.path(of: target) else {
            return .refused(.badRequest, "the request target is neither /path nor http://host/path")
        }
        let head = HTTPRequestHead(
            method: String(decoding: self.method, as: UTF8.self), target: target, path: path, minorVersion: min(minor, 1), fields: self.fields)
        // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host; none or several is a 400.
        let hosts = head.count(of: "Host")
        if hosts > 1 || (hosts == 0 && minor >= 1) {
            return .refused(.badRequest, "an HTTP/1.1 request needs exactly one Host header (it has \(hosts))")
        }
        return .complete(head)
    }

    /// The path of an origin-form (`/a?b`) or absolute-form (`http://h/a?b`) target; `*` for
    /// asterisk-form; nil otherwise.
    static func path(of target: String) -> String? {
        var rest = Substring(target)
        if target == "*" { return "*" }
        for scheme in ["http://", "https://"] where rest.lowercased().hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            rest = rest[slash...]
            if rest.hasPrefix("?") { return "/" }
        }
        guard rest.hasPrefix("/") else { return nil }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return String(rest)
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Self.tokenSymbols.contains(byte)
        }
    }

    private static let tokenSymbols = Array("!#$%&'*+-.^_`|~".utf8)
    private static let versionPrefix = Array("HTTP/".utf8)

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
