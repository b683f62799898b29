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
            guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) else { continue }
            let messages = name.hasSuffix(OutboxFiles.mboxSuffix) ? OutboxFiles.messages(inMbox: [UInt8](data)) : [[UInt8](data)]
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
            guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) else { continue }
            let messages = name.hasSuffix(OutboxFiles.mboxSuffix) ? OutboxFiles.messages(inMbox: [UInt8](data)) : [[UInt8](data)]
            for message in messages {
                let id = OutboxFiles.entryId(of: message) ?? String(name.prefix { $0 != "." })
                if seen.insert(id).inserted { out.append((id, message)) }
            }
        }
        return out
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
