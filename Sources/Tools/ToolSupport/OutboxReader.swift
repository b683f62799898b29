import Foundation
import Notifications

/// One email the server's file transport wrote (a message of a batch file
/// `<data-dir>/outbox/<first>-<last>.<stamp>.mbox`, or an older release's `<entry>.eml`).
public struct OutboxEmail: Sendable, Equatable {
    /// The file it is in, e.g. `out_00000001-out_00000003.0188d2f1a4c00000.mbox` or
    /// `out_00000001.eml` (entries are numbered in the order they were made).
    public var file: String
    /// The outbox entry, e.g. `out_00000001` (from the Message-ID; the file name for an `.eml`
    /// without one).
    public var entryId: String = ""
    /// `To:`, decoded.
    public var to: String
    /// `Subject:`, decoded.
    public var subject: String
    /// `Date:` as written.
    public var date: String
    /// `X-FindReviewer-Kind:`, e.g. `requestToReviewer`, `replyReceived`.
    public var kind: String
    /// The text body, quoted-printable decoded.
    public var body: String

    /// The reply token of a reviewer's email (from its `?token=` link), if it has one.
    public var token: String? {
        guard let range = self.body.range(of: #"[?&]token=[A-Za-z0-9._-]+"#, options: .regularExpression) else { return nil }
        return String(self.body[range].split(separator: "=", maxSplits: 1).last ?? "")
    }
}

/// Reads the `.eml` files of an outbox directory.
public enum OutboxReader {
    /// `<dataDirectory>/outbox`.
    public static func directory(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("outbox")
    }

    /// The email files (batch `.mbox` files and older `.eml` ones) in `directory`, in the order
    /// they were made.
    public static func fileNames(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter(self.isEmailFile).sorted()
    }

    /// Whether `name` is a file of emails (not a temporary file being written).
    public static func isEmailFile(_ name: String) -> Bool {
        name.hasSuffix(OutboxFiles.mboxSuffix) || name.hasSuffix(OutboxFiles.emlSuffix)
    }

    /// Every email in `directory` (or in its files `names`), in the order they were made, each
    /// entry once (a delivery repeated after a crash may have written it twice); unreadable files
    /// are skipped.
    public static func read(directory: String, only names: [String]? = nil) -> [OutboxEmail] {
        var seen = Set<String>()
        var emails: [OutboxEmail] = []
        for name in names ?? self.fileNames(in: directory) {
            guard let messages = self.messages(inFile: name, directory: directory) else { continue }
            for message in messages {
                var email = self.parse(String(decoding: message, as: UTF8.self), file: name)
                email.entryId = OutboxFiles.entryId(of: message) ?? String(name.prefix { $0 != "." })
                if seen.insert(email.entryId).inserted { emails.append(email) }
            }
        }
        return emails
    }

    /// The raw messages (RFC 5322 bytes, as sent) in `directory`, in the order they were made,
    /// each entry once, by entry id.
    public static func rawMessages(directory: String) -> [(entryId: String, message: [UInt8])] {
        var seen = Set<String>()
        var out: [(entryId: String, message: [UInt8])] = []
        for name in self.fileNames(in: directory) {
            guard let messages = self.messages(inFile: name, directory: directory) else { continue }
            for message in messages {
                let id = OutboxFiles.entryId(of: message) ?? String(name.prefix { $0 != "." })
                if seen.insert(id).inserted { out.append((id, message)) }
            }
        }
        return out
    }

    /// The raw messages of one email file of `directory` (a batch `.mbox` or an `.eml`), in
    /// file order; nil when it cannot be read.
    public static func messages(inFile name: String, directory: String) -> [[UInt8]]? {
        guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) else { return nil }
        return name.hasSuffix(OutboxFiles.mboxSuffix) ? OutboxFiles.messages(inMbox: [UInt8](data)) : [[UInt8](data)]
    }

    /// Parses one RFC 5322 message as the server renders it (quoted-printable UTF-8 text).
    public static func parse(_ raw: String, file: String) -> OutboxEmail {
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let split = text.range(of: "\n\n")
        let headerText = split.map { String(text[..<$0.lowerBound]) } ?? text
        let bodyText = split.map { String(text[$0.upperBound...]) } ?? ""
        var headers: [String: String] = [:]
        var current: String?
        for line in headerText.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.first == " " || line.first == "\t", let name = current {
                headers[name, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                current = name
            }
        }
        return OutboxEmail(
            file: file, to: self.decodeWords(headers["to"] ?? ""), subject: self.decodeWords(headers["subject"] ?? ""),
            date: headers["date"] ?? "", kind: headers["x-findreviewer-kind"] ?? "", body: self.decodeQuotedPrintable(bodyText))
    }

    /// What the load tool's outbox watcher needs of one message, read over its bytes: the
    /// `X-FindReviewer-Kind:` value and, only when `wanted` holds that kind, the text body
    /// decoded as ``parse(_:file:)`` decodes it (line ends as LF, soft breaks joined, `=XX` as
    /// bytes). The watcher reads every email of a run; through ``parse(_:file:)``'s Foundation
    /// strings it cost the load tool more CPU per write call than the server spent on it.
    public static func kindAndBody(_ message: [UInt8], bodyIf wanted: Set<String>) -> (kind: String, body: [UInt8]?) {
        let name = Array("x-findreviewer-kind:".utf8)
        let count = message.count
        var kind = ""
        var index = 0
        var bodyStart = count
        while index < count {
            var end = index
            while end < count && message[end] != 10 { end += 1 }
            var lineEnd = end
            if lineEnd > index && message[lineEnd - 1] == 13 { lineEnd -= 1 }
            if lineEnd == index {
                bodyStart = min(count, end + 1)
                break
            }
            if lineEnd - index >= name.count, (0..<name.count).allSatisfy({ Self.lowercased(message[index + $0]) == name[$0] }) {
                var start = index + name.count
                var stop = lineEnd
                while start < stop && (message[start] == 32 || message[start] == 9) { start += 1 }
                while stop > start && (message[stop - 1] == 32 || message[stop - 1] == 9) { stop -= 1 }
                kind = String(decoding: message[start..<stop], as: UTF8.self)
            }
            index = end + 1
        }
        guard wanted.contains(kind) else { return (kind, nil) }
        var body: [UInt8] = []
        body.reserveCapacity(count - bodyStart)
        var at = bodyStart
        while at < count {
            let byte = message[at]
            if byte == 13 && at + 1 < count && message[at + 1] == 10 {
                at += 1  // CRLF read as LF
                continue
            }
            if byte == 61 {  // "="
                if at + 1 < count && message[at + 1] == 10 {
                    at += 2
                    continue
                }
                if at + 2 < count && message[at + 1] == 13 && message[at + 2] == 10 {
                    at += 3
                    continue
                }
                if at + 2 < count, let high = Self.hexValue(message[at + 1]), let low = Self.hexValue(message[at + 2]) {
                    body.append(high << 4 | low)
                    at += 3
                    continue
                }
            }
            body.append(byte)
            at += 1
        }
        return (kind, body)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }

    /// RFC 2047 `=?utf-8?B?…?=` words (what the server writes) decoded; other text kept.
    static func decodeWords(_ header: String) -> String {
        guard header.contains("=?") else { return header }
        var out = ""
        var rest = Substring(header)
        var previousWasWord = false
        while let start = rest.range(of: "=?") {
            let between = rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].range(of: "?=") else { break }
            let word = rest[start.upperBound..<end.lowerBound]
            let parts = word.split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
            // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
            if !(previousWasWord && between.allSatisfy(\.isWhitespace)) { out += between }
            if parts.count == 3, parts[1].uppercased() == "B", let data = Data(base64Encoded: String(parts[2])) {
                out += String(decoding: data, as: UTF8.self)
            } else {
                out += rest[start.lowerBound..<end.upperBound]
            }
            previousWasWord = true
            rest = rest[end.upperBound...]
        }
        return out + rest
    }

    /// Quoted-printable (RFC 2045) decoded as UTF-8: soft breaks joined, `=XX` turned into bytes.
    static func decodeQuotedPrintable(_ text: String) -> String {
        let joined = text.replacingOccurrences(of: "=\n", with: "")
        var bytes: [UInt8] = []
        let source = Array(joined.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
                let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
