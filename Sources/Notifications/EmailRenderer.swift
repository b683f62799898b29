import FindReviewerDomain
import Foundation

/// A finished email: headers and body as RFC 5322 bytes with CRLF line ends.
public struct RenderedEmail: Sendable, Equatable {
    /// `<out_00000001@domain>`: the same for every delivery of one outbox entry.
    public var messageId: String
    /// The outbox entry it reports.
    public var entryId: String
    public var from: String
    public var to: String
    /// The subject, not encoded.
    public var subject: String
    /// The whole message.
    public var rfc822: [UInt8]
}

/// Turns an outbox entry's context into an email in the recipient's language.
public struct EmailRenderer: Sendable {
    /// Sender shown on every email, e.g. `FindReviewer <no-reply@example.com>`.
    public var from: String
    /// Base of the reviewer's reply link; `?token=` is appended.
    public var replyBaseURL: String
    /// Right-hand side of Message-IDs.
    public var messageIdDomain: String

    /// Creates a renderer.
    public init(from: String, replyBaseURL: String, messageIdDomain: String = "findreviewer.invalid") {
        self.from = from
        self.replyBaseURL = replyBaseURL
        self.messageIdDomain = messageIdDomain
    }

    /// The email for `context`.
    public func render(_ context: NotificationContext) -> RenderedEmail {
        let link = context.entry.kind.isForReviewer ? self.replyBaseURL + "?token=" + context.replyToken : ""
        let deadline = Self.formatDate(context.deadline, context.language)
        let text = EmailTemplates.render(context, replyLink: link, deadline: deadline)
        let messageId = "<\(context.entry.id)@\(self.messageIdDomain)>"
        let to = Self.mailbox(name: context.recipientName, address: context.recipientAddress)
        var headers = [
            "From: \(self.from)",
            "To: \(to)",
            "Subject: \(Self.encodeHeader(text.subject))",
            "Date: \(Self.rfc5322Date(context.entry.createdAt))",
            "Message-ID: \(messageId)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "X-FindReviewer-Kind: \(context.entry.kind.rawValue)",
        ]
        headers = headers.map { Self.fold($0) }
        let message = headers.joined(separator: "\r\n") + "\r\n\r\n" + Self.quotedPrintable(text.body) + "\r\n"
        return RenderedEmail(
            messageId: messageId, entryId: context.entry.id, from: self.from, to: context.recipientAddress,
            subject: text.subject, rfc822: Array(message.utf8))
    }

    // MARK: formats

    /// The deadline in the reader's language, in UTC: `29 November 2026, 14:00 UTC`.
    static func formatDate(_ time: UnixSeconds, _ language: Language) -> String { CivilTime.format(time, language) }

    /// `Tue, 24 Nov 2026 14:00:00 +0000`.
    static func rfc5322Date(_ time: UnixSeconds) -> String {
        let parts = CivilTime.parts(time)
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let weekday = days[Int(((time / 86_400) % 7 + 7) % 7)]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][parts.month - 1]
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", weekday, parts.day, month, parts.year, parts.hour, parts.minute, parts.second)
    }

    /// `Name <address>`, the name encoded when it is not plain ASCII.
    static func mailbox(name: String, address: String) -> String {
        let safe = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "." || $0 == "-") }
        if name.isEmpty { return address }
        return (safe ? name : self.encodeHeader(name)) + " <\(address)>"
    }

    /// RFC 2047 `=?utf-8?B?…?=` words for non-ASCII text, each under 76 characters.
    static func encodeHeader(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            // 45 bytes → 60 base64 characters; plus 12 for the wrapper stays under 75.
            if chunk.count + bytes.count > 45 {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk.removeAll()
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
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
        let hex = Array("0123456789ABCDEF".utf8)
        let input = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 2 + 16)
        func encodeLine(_ start: Int, _ end: Int) {
            var width = 0
            for index in start..<end {
                let byte = input[index]
                let isLast = index == end - 1
                // A line that starts with "." is escaped so SMTP dot-stuffing cannot change it.
                let plain = ((byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 && !isLast)) && !(index == start && byte == 46)
                let length = plain ? 1 : 3
                if width + length > 75 {
                    out += [61, 13, 10]  // "=\r\n", a soft line break
                    width = 0
                }
                if plain {
                    out.append(byte)
                } else {
                    out += [61, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                }
                width += length
            }
        }
        // Lines end at "\n" (a "\r" right before it belongs to the break); joined with CRLF.
        var lineStart = 0
        for index in 0..<input.count where input[index] == 10 {
            let end = index > lineStart && input[index - 1] == 13 ? index - 1 : index
            encodeLine(lineStart, end)
            out += [13, 10]
            lineStart = index + 1
        }
        encodeLine(lineStart, input.count)
        return String(decoding: out, as: UTF8.self)
    }
}
