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
    public var from: String {
        didSet { self.fromLine = Self.headerLine("From: ", self.from) }
    }
    /// Base of the reviewer's reply link; `?token=` is appended.
    public var replyBaseURL: String
    /// Right-hand side of Message-IDs.
    public var messageIdDomain: String
    /// `From: …` with its CRLF, the same on every email: written once.
    private var fromLine: [UInt8]

    /// Creates a renderer.
    public init(from: String, replyBaseURL: String, messageIdDomain: String = "findreviewer.invalid") {
        self.from = from
        self.replyBaseURL = replyBaseURL
        self.messageIdDomain = messageIdDomain
        self.fromLine = Self.headerLine("From: ", from)
    }

    /// The email for `context`: its words from the compiled template of its kind and language,
    /// written straight into one byte buffer (headers folded and encoded, body quoted-printable).
    /// The values go in as bytes, never as intermediate strings; the output is byte for byte
    /// what ``EmailTemplates/text(_:_:_:)`` gives with the encodings below (a test keeps the
    /// two equal).
    public func render(_ context: NotificationContext) -> RenderedEmail {
        let template = EmailTemplates.compiled(context.entry.kind, context.language)
        var subjectBytes: [UInt8] = []
        subjectBytes.reserveCapacity(128)
        template.subject.write(into: &subjectBytes) { number, out in self.writeValue(number, context, into: &out) }
        var body: [UInt8] = []
        body.reserveCapacity(1_536)
        template.body.write(into: &body) { number, out in self.writeValue(number, context, into: &out) }

        var headers: [UInt8] = []
        headers.reserveCapacity(640)
        headers.append(contentsOf: self.fromLine)
        var scratch: [UInt8] = []
        scratch.reserveCapacity(160)
        Self.mailbox(name: context.recipientName, address: context.recipientAddress, into: &scratch)
        Self.headerLine("To: ", scratch, into: &headers)
        scratch.removeAll(keepingCapacity: true)
        Self.encodeHeader(subjectBytes, into: &scratch)
        Self.headerLine("Subject: ", scratch, into: &headers)
        headers.append(contentsOf: "Date: ".utf8)
        Self.rfc5322Date(context.entry.createdAt, into: &headers)
        headers.append(13)
        headers.append(10)
        scratch.removeAll(keepingCapacity: true)
        scratch.append(60)  // "<"
        Self.appendUTF8(context.entry.id, into: &scratch)
        scratch.append(64)  // "@"
        Self.appendUTF8(self.messageIdDomain, into: &scratch)
        scratch.append(62)  // ">"
        let messageId = String(decoding: scratch, as: UTF8.self)
        Self.headerLine("Message-ID: ", scratch, into: &headers)
        headers.append(contentsOf: Self.fixedHeaders)
        headers.append(contentsOf: Self.kindLines[context.entry.kind.tableIndex])
        headers.append(13)
        headers.append(10)

        let bound = headers.count + Self.quotedPrintableBound(body.count) + 2
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            headers.withUnsafeBufferPointer { headers in
                _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<headers.count]).initialize(from: headers)
            }
            count = headers.count
            count += body.withUnsafeBufferPointer { body in
                Self.quotedPrintable(body, into: UnsafeMutableBufferPointer(rebasing: buffer[count...]))
            }
            buffer[count] = 13
            buffer[count + 1] = 10
            count += 2
        }
        return RenderedEmail(
            messageId: messageId, entryId: context.entry.id, from: self.from, to: context.recipientAddress,
            subject: String(decoding: subjectBytes, as: UTF8.self), rfc822: out)
    }

    /// Appends value `number` (the order of ``EmailTemplates/Values/all``) of `context`.
    private func writeValue(_ number: Int, _ context: NotificationContext, into out: inout [UInt8]) {
        switch number {
        case 0: Self.appendUTF8(context.businessName, into: &out)
        case 1: Self.appendUTF8(context.recipientName, into: &out)
        case 2: Self.appendUTF8(context.entry.requestId, into: &out)
        case 3: Self.appendUTF8(context.reviewTitle, into: &out)
        case 4:
            // ` “title”`, or nothing when the review has no title.
            guard !context.reviewTitle.isEmpty else { return }
            out.append(contentsOf: [32, 0xE2, 0x80, 0x9C])
            Self.appendUTF8(context.reviewTitle, into: &out)
            out.append(contentsOf: [0xE2, 0x80, 0x9D])
        case 5: Self.writeDeadline(context.deadline, context.language, into: &out)
        case 6:
            for (index, field) in context.requestedFields.enumerated() {
                if index > 0 { out.append(10) }
                out.append(contentsOf: [32, 32, 45, 32])  // "  - "
                Self.appendUTF8(EmailTemplates.fieldName(field, label: context.referenceLabel, context.language), into: &out)
            }
        case 7: EmailTemplates.quote(context.businessMessage, into: &out)
        default:
            guard context.entry.kind.isForReviewer else { return }
            Self.appendUTF8(self.replyBaseURL, into: &out)
            out.append(contentsOf: "?token=".utf8)
            Self.appendUTF8(context.replyToken, into: &out)
        }
    }

    private static func appendUTF8(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    private static let fixedHeaders = Array(
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n".utf8)

    /// `X-FindReviewer-Kind: <kind>` and CRLF, per kind in ``NotificationKind/allCases`` order.
    private static let kindLines: [[UInt8]] = NotificationKind.allCases.map { Self.headerLine("X-FindReviewer-Kind: ", $0.rawValue) }

    /// `name` + `value` + CRLF, folded when longer than 78 characters.
    static func headerLine(_ name: StaticString, _ value: String) -> [UInt8] {
        var out: [UInt8] = []
        self.headerLine(name, Array(value.utf8), into: &out)
        return out
    }

    /// `name` + `value` + CRLF, folded when longer than 78 characters.
    private static func headerLine(_ name: StaticString, _ value: [UInt8], into out: inout [UInt8]) {
        let nameBytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        // Shorter than 79 bytes is shorter than 79 characters, and encoded words come folded
        // already: no folding to think about.
        if nameBytes.count + value.count <= 78 || Self.containsLineBreak(value) {
            out.append(contentsOf: nameBytes)
            out.append(contentsOf: value)
        } else if value.allSatisfy({ $0 < 128 }) {
            // ASCII: characters are bytes.
            var line = Array(nameBytes)
            line.append(contentsOf: value)
            Self.foldASCII(line, into: &out)
        } else {
            out.append(contentsOf: self.fold(String(decoding: nameBytes, as: UTF8.self) + String(decoding: value, as: UTF8.self)).utf8)
        }
        out.append(13)
        out.append(10)
    }

    /// The deadline in the reader's language as ``formatDate(_:_:)`` writes it.
    private static func writeDeadline(_ time: UnixSeconds, _ language: Language, into out: inout [UInt8]) {
        let parts = CivilTime.parts(time)
        guard parts.year >= 0 else {
            out.append(contentsOf: self.formatDate(time, language).utf8)
            return
        }
        func decimal(_ value: Int) {
            if value >= 10 { decimal(value / 10) }
            out.append(UInt8(48 + value % 10))
        }
        func twoDigits(_ value: Int) {
            if value < 10 { out.append(48) }
            decimal(value)
        }
        decimal(parts.day)
        if language == .de { out.append(46) }  // "."
        out.append(32)
        out.append(contentsOf: self.monthNames[language.tableIndex][parts.month - 1])
        out.append(32)
        decimal(parts.year)
        out.append(contentsOf: language == .sv ? Array(" kl. ".utf8) : [44, 32])
        twoDigits(parts.hour)
        out.append(58)
        twoDigits(parts.minute)
        out.append(contentsOf: language == .de ? Array(" Uhr UTC".utf8) : Array(" UTC".utf8))
    }

    /// Month names per language (``Language/allCases`` order), as ``formatDate(_:_:)`` writes them.
    private static let monthNames: [[[UInt8]]] = [
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
        ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    ].map { $0.map { Array($0.utf8) } }

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
        guard parts.year >= 0 && parts.year <= 9_999 else {
            // Four digits of the year, as the digit loop below always wrote them.
            self.rfc5322DateDigitwise(time, parts, into: &out)
            return
        }
        // "Tue, 24 Nov 2026 14:00:00 +0000": 31 bytes.
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let weekday = self.weekdays[Int(((time / 86_400) % 7 + 7) % 7)]
            let month = self.months[parts.month - 1]
            p[0] = weekday[0]; p[1] = weekday[1]; p[2] = weekday[2]
            p[3] = 44; p[4] = 32  // ", "
            p[5] = UInt8(48 + parts.day / 10); p[6] = UInt8(48 + parts.day % 10)
            p[7] = 32
            p[8] = month[0]; p[9] = month[1]; p[10] = month[2]
            p[11] = 32
            p[12] = UInt8(48 + parts.year / 1_000); p[13] = UInt8(48 + parts.year / 100 % 10)
            p[14] = UInt8(48 + parts.year / 10 % 10); p[15] = UInt8(48 + parts.year % 10)
            p[16] = 32
            p[17] = UInt8(48 + parts.hour / 10); p[18] = UInt8(48 + parts.hour % 10)
            p[19] = 58
            p[20] = UInt8(48 + parts.minute / 10); p[21] = UInt8(48 + parts.minute % 10)
            p[22] = 58
            p[23] = UInt8(48 + parts.second / 10); p[24] = UInt8(48 + parts.second % 10)
            p[25] = 32; p[26] = 43; p[27] = 48; p[28] = 48; p[29] = 48; p[30] = 48  // " +0000"
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: 31))
        }
    }

    /// The same for years outside 0...9999 (the last four digits, as before).
    private static func rfc5322DateDigitwise(
        _ time: UnixSeconds, _ parts: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int), into out: inout [UInt8]
    ) {
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
        var out: [UInt8] = []
        self.mailbox(name: name, address: address, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func mailbox(name: String, address: String, into out: inout [UInt8]) {
        var name = name
        name.withUTF8 { name in
            if name.isEmpty { return }
            let safe = name.allSatisfy { byte in
                (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 32 || byte == 46 || byte == 45
            }
            if safe {
                out.append(contentsOf: name)
            } else {
                self.encodeHeader(name, into: &out)
            }
            out.append(contentsOf: [32, 60])  // " <"
        }
        self.appendUTF8(address, into: &out)
        if !name.isEmpty { out.append(62) }  // ">"
    }

    /// RFC 2047 `=?utf-8?B?…?=` words for non-ASCII text, each under 76 characters.
    static func encodeHeader(_ text: String) -> String {
        var out: [UInt8] = []
        var text = text
        text.withUTF8 { self.encodeHeader($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    static func encodeHeader(_ text: [UInt8], into out: inout [UInt8]) {
        text.withUnsafeBufferPointer { self.encodeHeader($0, into: &out) }
    }

    /// ``encodeHeader(_:)`` appended to `out`.
    static func encodeHeader(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        // ASCII without line breaks (LF, VT, FF, CR: what Character.isNewline is in ASCII) stays.
        if text.allSatisfy({ $0 < 128 && !($0 >= 10 && $0 <= 13) }) {
            out.append(contentsOf: text)
            return
        }
        let start = out.count
        var chunk: [UInt8] = []
        chunk.reserveCapacity(48)
        func word() {
            if out.count > start { out.append(contentsOf: [13, 10, 32]) }  // "\r\n "
            out.append(contentsOf: Self.encodedWordStart)
            Self.base64(chunk, into: &out)
            out.append(63)  // "?="
            out.append(61)
            chunk.removeAll(keepingCapacity: true)
        }
        // Whole characters per word, never a character split between two. Where every scalar is
        // a character of its own (see ``isOwnCharacter(_:)``) the scalars are walked; otherwise
        // Swift's characters (extended grapheme clusters).
        var index = 0
        var scalarsAreCharacters = true
        while index < text.count {
            let length = Self.utf8Length(text[index])
            guard index + length <= text.count, Self.isOwnCharacter(Self.scalar(text, at: index, length: length)) else {
                scalarsAreCharacters = false
                break
            }
            index += length
        }
        if scalarsAreCharacters {
            index = 0
            while index < text.count {
                let length = Self.utf8Length(text[index])
                // 45 bytes → 60 base64 characters; plus 12 for the wrapper stays under 75.
                if chunk.count + length > 45 { word() }
                chunk.append(contentsOf: UnsafeBufferPointer(rebasing: text[index..<(index + length)]))
                index += length
            }
        } else {
            for character in String(decoding: text, as: UTF8.self) {
                if chunk.count + character.utf8.count > 45 { word() }
                chunk.append(contentsOf: character.utf8)
            }
        }
        if !chunk.isEmpty { word() }
    }

    /// Bytes of the UTF-8 sequence `lead` starts (1 for a byte that starts none: it stands alone).
    private static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    private static func scalar(_ text: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> UInt32 {
        switch length {
        case 1: return UInt32(text[index])
        case 2: return UInt32(text[index] & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F)
        case 3: return UInt32(text[index] & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
        default:
            return UInt32(text[index] & 0x07) << 18 | UInt32(text[index + 1] & 0x3F) << 12 | UInt32(text[index + 2] & 0x3F) << 6
                | UInt32(text[index + 3] & 0x3F)
        }
    }

    /// Whether a character boundary lies on both sides of `scalar` whatever its neighbours:
    /// printable Latin up to U+02FF (no combining marks: they start at U+0300), the general
    /// punctuation without format controls, and the euro sign (Grapheme_Cluster_Break=Other,
    /// not Extended_Pictographic). Controls are left out (CR LF is one character), and so is
    /// invalid UTF-8.
    private static func isOwnCharacter(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x20...0x7E, 0xA0...0x2FF, 0x2010...0x2027, 0x2030...0x203B, 0x203D...0x2048, 0x204A...0x205E, 0x20AC: return true
        default: return false
        }
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

    private static func containsLineBreak(_ bytes: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == 13 && byte == 10 { return true }
            previous = byte
        }
        return false
    }

    /// ``fold(_:)`` of an ASCII line (characters are bytes), appended to `out`.
    private static func foldASCII(_ line: [UInt8], into out: inout [UInt8]) {
        guard line.count > 78 else {
            out.append(contentsOf: line)
            return
        }
        var current: [UInt8] = []
        current.reserveCapacity(80)
        for word in line.split(separator: 32, omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > 76 {
                out.append(contentsOf: current)
                out.append(contentsOf: [13, 10])
                current.removeAll(keepingCapacity: true)
                current.append(32)
                current.append(contentsOf: word)
            } else {
                if !current.isEmpty { current.append(32) }
                current.append(contentsOf: word)
            }
        }
        out.append(contentsOf: current)
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
        let input = Array(text.utf8)
        let written = [UInt8](unsafeUninitializedCapacity: self.quotedPrintableBound(input.count)) { buffer, count in
            count = input.withUnsafeBufferPointer { self.quotedPrintable($0, into: buffer) }
        }
        return String(decoding: written, as: UTF8.self)
    }

    /// Bytes ``quotedPrintable(_:into:)`` may write for `count` input bytes: at most 3 per input
    /// byte, a soft break ("=\r\n") per 25 of those, and a CRLF for each "\n".
    static func quotedPrintableBound(_ count: Int) -> Int {
        count * 3 + (count * 3 / 25 + 1) * 3 + count * 2 + 8
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// 1 for the bytes that stand for themselves anywhere in a line (printable ASCII except
    /// "="), 2 more for a space (plain unless it ends its line).
    private static let plainBytes: [UInt8] = (0..<256).map { byte in
        byte >= 33 && byte <= 126 && byte != 61 ? 3 : byte == 32 ? 2 : 0
    }

    /// Writes the encoding of `input` into `buffer` (at least ``quotedPrintableBound(_:)``
    /// bytes) and returns the bytes written.
    static func quotedPrintable(_ input: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let output = buffer.baseAddress else { return 0 }
        guard let source = input.baseAddress else { return 0 }
        return self.hex.withUnsafeBufferPointer { hex in
            self.plainBytes.withUnsafeBufferPointer { plainBytes in
                let hex = hex.baseAddress!
                let plainBytes = plainBytes.baseAddress!
                let total = input.count
                var count = 0
                var lineStart = 0
                while true {
                    // Lines end at "\n" (a "\r" right before it belongs to the break); joined with CRLF.
                    var newline = lineStart
                    while newline < total && source[newline] != 10 { newline += 1 }
                    let end = newline < total && newline > lineStart && source[newline - 1] == 13 ? newline - 1 : newline
                    var width = 0
                    var index = lineStart
                    while index < end {
                        // A run of bytes that stand for themselves (not the line's first or last
                        // byte): copied in pieces up to the soft breaks.
                        if index > lineStart {
                            var runEnd = index
                            while runEnd < end - 1 && plainBytes[Int(source[runEnd])] & 2 != 0 { runEnd += 1 }
                            while index < runEnd {
                                if width >= 75 {
                                    output[count] = 61  // "=\r\n", a soft line break
                                    output[count + 1] = 13
                                    output[count + 2] = 10
                                    count += 3
                                    width = 0
                                }
                                let piece = min(runEnd - index, 75 - width)
                                (output + count).update(from: source + index, count: piece)
                                count += piece
                                width += piece
                                index += piece
                            }
                            if index >= end { break }
                        }
                        let byte = source[index]
                        // A line that starts with "." is escaped so SMTP dot-stuffing cannot change it;
                        // a space is plain unless it ends the line.
                        let mask: UInt8 = index == end - 1 ? 1 : 2
                        if plainBytes[Int(byte)] & mask != 0 && !(index == lineStart && byte == 46) {
                            if width >= 75 {
                                output[count] = 61  // "=\r\n", a soft line break
                                output[count + 1] = 13
                                output[count + 2] = 10
                                count += 3
                                width = 0
                            }
                            output[count] = byte
                            count += 1
                            width += 1
                        } else {
                            if width > 72 {
                                output[count] = 61
                                output[count + 1] = 13
                                output[count + 2] = 10
                                count += 3
                                width = 0
                            }
                            output[count] = 61
                            output[count + 1] = hex[Int(byte >> 4)]
                            output[count + 2] = hex[Int(byte & 0x0F)]
                            count += 3
                            width += 3
                        }
                        index += 1
                    }
                    guard newline < total else { return count }
                    output[count] = 13
                    output[count + 1] = 10
                    count += 2
                    lineStart = newline + 1
                }
            }
        }
    }
}

extension NotificationKind {
    /// Position in ``allCases``, for tables.
    var tableIndex: Int { Self.allCases.firstIndex(of: self)! }
}

extension Language {
    /// Position in ``allCases``, for tables.
    var tableIndex: Int { Self.allCases.firstIndex(of: self)! }
}
