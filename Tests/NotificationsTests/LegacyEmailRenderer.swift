// A frozen copy of EmailRenderer as of commit 0372412 (before values were written as bytes),
// rendering from the string templates (EmailTemplates.text). Only the tests use it.
import FindReviewerDomain
import Foundation
@testable import Notifications

/// Turns an outbox entry's context into an email in the recipient's language.
/// The renderer as it was before rendering wrote values as bytes (2026-12-02), frozen here as
/// the reference: its output from the string templates must equal today's, byte for byte.
struct LegacyEmailRenderer {
    /// Sender shown on every email, e.g. `FindReviewer <no-reply@example.com>`.
    var from: String
    /// Base of the reviewer's reply link; `?token=` is appended.
    var replyBaseURL: String
    /// Right-hand side of Message-IDs.
    var messageIdDomain: String

    init(from: String, replyBaseURL: String, messageIdDomain: String = "findreviewer.invalid") {
        self.from = from
        self.replyBaseURL = replyBaseURL
        self.messageIdDomain = messageIdDomain
    }

    /// The email for `context`: its words from the compiled template of its kind and language,
    /// written straight into one byte buffer (headers folded and encoded, body quoted-printable).
    func render(_ context: NotificationContext) -> RenderedEmail {
        let link = context.entry.kind.isForReviewer ? self.replyBaseURL + "?token=" + context.replyToken : ""
        let deadline = CivilTime.format(context.deadline, context.language)
        let text = EmailTemplates.render(context, replyLink: link, deadline: deadline)
        let body = Array(text.body.utf8)
        let messageId = "<\(context.entry.id)@\(self.messageIdDomain)>"
        var out: [UInt8] = []
        Self.header("From: ", self.from, into: &out)
        Self.header("To: ", Self.mailbox(name: context.recipientName, address: context.recipientAddress), into: &out)
        let subject = text.subject
        Self.header("Subject: ", Self.encodeHeader(subject), into: &out)
        out.append(contentsOf: "Date: ".utf8)
        Self.rfc5322Date(context.entry.createdAt, into: &out)
        out.append(contentsOf: "\r\n".utf8)
        Self.header("Message-ID: ", messageId, into: &out)
        out.append(contentsOf: Self.fixedHeaders)
        Self.header("X-FindReviewer-Kind: ", context.entry.kind.rawValue, into: &out)
        out.append(contentsOf: "\r\n".utf8)
        Self.quotedPrintable(body, into: &out)
        out.append(contentsOf: "\r\n".utf8)
        return RenderedEmail(
            messageId: messageId, entryId: context.entry.id, from: self.from, to: context.recipientAddress,
            subject: subject, rfc822: out)
    }

    private static let fixedHeaders = Array(
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n".utf8)

    /// `name` + `value` + CRLF, folded when longer than 78 characters.
    private static func header(_ name: StaticString, _ value: String, into out: inout [UInt8]) {
        let nameBytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        // Shorter than 79 bytes is shorter than 79 characters, and encoded words come folded
        // already: no folding to think about.
        if nameBytes.count + value.utf8.count <= 78 || Self.containsLineBreak(value.utf8) {
            out.append(contentsOf: nameBytes)
            out.append(contentsOf: value.utf8)
        } else {
            out.append(contentsOf: self.fold(String(decoding: nameBytes, as: UTF8.self) + value).utf8)
        }
        out.append(contentsOf: [13, 10])
    }

    // MARK: formats

    /// The deadline in the reader's language, in UTC: `29 November 2026, 14:00 UTC`.
    static func formatDate(_ time: UnixSeconds, _ language: Language) -> String { CivilTime.format(time, language) }

    /// `Tue, 24 Nov 2026 14:00:00 +0000`.
    static func rfc5322Date(_ time: UnixSeconds) -> String {
        var out: [UInt8] = []
        self.rfc5322Date(time, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"].map { Array($0.utf8) }
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    static func rfc5322Date(_ time: UnixSeconds, into out: inout [UInt8]) {
        let parts = CivilTime.parts(time)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(48 + rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        out.append(contentsOf: self.weekdays[Int(((time / 86_400) % 7 + 7) % 7)])
        out.append(contentsOf: [44, 32])  // ", "
        digits(parts.day, 2)
        out.append(32)
        out.append(contentsOf: self.months[parts.month - 1])
        out.append(32)
        digits(parts.year, 4)
        out.append(32)
        digits(parts.hour, 2)
        out.append(58)
        digits(parts.minute, 2)
        out.append(58)
        digits(parts.second, 2)
        out.append(contentsOf: " +0000".utf8)
    }

    /// `Name <address>`, the name encoded when it is not plain ASCII.
    static func mailbox(name: String, address: String) -> String {
        if name.isEmpty { return address }
        let safe = name.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 32 || byte == 46 || byte == 45
        }
        return (safe ? name : self.encodeHeader(name)) + " <\(address)>"
    }

    /// RFC 2047 `=?utf-8?B?…?=` words for non-ASCII text, each under 76 characters.
    static func encodeHeader(_ text: String) -> String {
        // ASCII without line breaks (LF, VT, FF, CR: what Character.isNewline is in ASCII) stays.
        if text.utf8.allSatisfy({ $0 < 128 && !($0 >= 10 && $0 <= 13) }) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2 + 16)
        var chunk: [UInt8] = []
        chunk.reserveCapacity(48)
        func word() {
            if !out.isEmpty { out.append(contentsOf: [13, 10, 32]) }  // "\r\n "
            out.append(contentsOf: Self.encodedWordStart)
            Self.base64(chunk, into: &out)
            out.append(63)  // "?="
            out.append(61)
            chunk.removeAll(keepingCapacity: true)
        }
        // Whole characters per word, never a character split between two.
        for character in text {
            // 45 bytes → 60 base64 characters; plus 12 for the wrapper stays under 75.
            if chunk.count + character.utf8.count > 45 { word() }
            chunk.append(contentsOf: character.utf8)
        }
        if !chunk.isEmpty { word() }
        return String(decoding: out, as: UTF8.self)
    }

    private static let encodedWordStart = Array("=?utf-8?B?".utf8)
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 with padding (RFC 4648).
    static func base64(_ bytes: [UInt8], into out: inout [UInt8]) {
        let alphabet = self.base64Alphabet
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)])
            out.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let value = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(value >> 6 & 63)] : 61)
            out.append(61)
        }
    }

    private static func containsLineBreak(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == 13 && byte == 10 { return true }
            previous = byte
        }
        return false
    }

    /// Folds a header line longer than 78 characters at a space.
    static func fold(_ line: String) -> String {
        guard line.count > 78, !line.contains("\r\n") else { return line }
        var out = ""
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > 76 {
                out += current + "\r\n"
                current = " " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        return out + current
    }

    /// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks under 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var out: [UInt8] = []
        self.quotedPrintable(Array(text.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    static func quotedPrintable(_ input: [UInt8], into out: inout [UInt8]) {
        // At most 3 bytes per input byte, a soft break ("=\r\n") per 25 of those, and a CRLF
        // for each "\n".
        let bound = input.count * 3 + (input.count * 3 / 25 + 1) * 3 + input.count * 2 + 8
        let written = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            count = self.quotedPrintable(input, into: buffer)
        }
        out.append(contentsOf: written)
    }

    /// Writes the encoding of `input` into `buffer` (large enough) and returns the bytes written.
    private static func quotedPrintable(_ input: [UInt8], into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        input.withUnsafeBufferPointer { input in
            self.hex.withUnsafeBufferPointer { hex in
                func encodeLine(_ start: Int, _ end: Int) {
                    var width = 0
                    var index = start
                    while index < end {
                        let byte = input[index]
                        // A line that starts with "." is escaped so SMTP dot-stuffing cannot change it;
                        // a space is plain unless it ends the line.
                        let plain = ((byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 && index != end - 1))
                            && !(index == start && byte == 46)
                        let length = plain ? 1 : 3
                        if width + length > 75 {
                            buffer[count] = 61  // "=\r\n", a soft line break
                            buffer[count + 1] = 13
                            buffer[count + 2] = 10
                            count += 3
                            width = 0
                        }
                        if plain {
                            buffer[count] = byte
                        } else {
                            buffer[count] = 61
                            buffer[count + 1] = hex[Int(byte >> 4)]
                            buffer[count + 2] = hex[Int(byte & 0x0F)]
                        }
                        count += length
                        width += length
                        index += 1
                    }
                }
                // Lines end at "\n" (a "\r" right before it belongs to the break); joined with CRLF.
                var lineStart = 0
                for index in 0..<input.count where input[index] == 10 {
                    let end = index > lineStart && input[index - 1] == 13 ? index - 1 : index
                    encodeLine(lineStart, end)
                    buffer[count] = 13
                    buffer[count + 1] = 10
                    count += 2
                    lineStart = index + 1
                }
                encodeLine(lineStart, input.count)
            }
        }
        return count
    }
}
