import FindReviewerDomain
import Foundation
@testable import Notifications
import Testing

@Suite("Emails: rendering in en/sv/de, privacy, golden files")
struct EmailTests {
    static let cases: [(NotificationKind, Language)] = NotificationKind.allCases.flatMap { kind in Language.allCases.map { (kind, $0) } }

    @Test("every kind × language matches its golden file byte for byte (UPDATE_GOLDEN=1 rewrites them)",
        arguments: NotificationKind.allCases, Language.allCases)
    func golden(kind: NotificationKind, language: Language) throws {
        let email = Fixtures.renderer.render(Fixtures.makeContext(kind: kind, language: language))
        let url = Fixtures.root.appendingPathComponent("Golden/\(kind.rawValue).\(language.rawValue).eml")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(email.rfc822).write(to: url)
        }
        let golden = try Data(contentsOf: url)
        #expect([UInt8](golden) == email.rfc822)
    }

    @Test("headers: From, To, encoded Subject, Date, stable Message-ID, MIME UTF-8 quoted-printable")
    func headers() {
        let email = Fixtures.renderer.render(Fixtures.makeContext(kind: .requestToReviewer, language: .sv))
        let text = String(decoding: email.rfc822, as: UTF8.self)
        #expect(text.hasPrefix("From: FindReviewer <no-reply@reviews.example>\r\nTo: =?utf-8?B?"))
        #expect(text.contains("Subject: =?utf-8?B?"))
        #expect(text.contains("Date: Tue, 24 Nov 2026 16:00:00 +0000\r\n"))
        #expect(text.contains("Message-ID: <out_00000007@reviews.example>\r\n"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"))
        #expect(email.subject == "Acme Resor vill veta mer om ditt omdöme")
        // Same entry, same Message-ID; lines are CRLF and at most 78 characters.
        #expect(Fixtures.renderer.render(Fixtures.makeContext(kind: .requestToReviewer, language: .sv)).messageId == email.messageId)
        for line in text.components(separatedBy: "\r\n") { #expect(line.count <= 78, "\(line)") }
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("the deadline is written in the reader's language, in UTC", arguments: [
        (Language.en, "29 November 2026, 16:00 UTC"), (.sv, "29 november 2026 kl. 16:00 UTC"), (.de, "29. November 2026, 16:00 Uhr UTC"),
    ])
    func deadline(language: Language, expected: String) {
        #expect(EmailRenderer.formatDate(1_795_968_000, language) == expected)
    }

    @Test("a reviewer's email carries the business's message, the fields with its label and the reply link")
    func reviewerEmail() {
        let body = Self.decodedBody(Fixtures.renderer.render(Fixtures.makeContext(kind: .requestToReviewer, language: .en)))
        #expect(body.contains("  > Hej! Vi hittar inte din bokning.\n  > .Kan du dela bokningsnummer och namn?"))
        #expect(body.contains("  - Bokningsnummer\n  - Full name\n  - Phone number"))
        #expect(body.contains("https://reviews.example/find-reviewer/reply?token=" + String(repeating: "ab", count: 24)))
        #expect(body.contains("29 November 2026, 16:00 UTC"))
    }

    @Test("a business's email never carries the reviewer's address or token", arguments: [NotificationKind.replyReceived, .declined, .expired])
    func businessPrivacy(kind: NotificationKind) {
        for language in Language.allCases {
            var context = Fixtures.makeContext(kind: kind, language: language)
            context.replyToken = "secret-token-0000000000000000000000"
            let text = String(decoding: Fixtures.renderer.render(context).rfc822, as: UTF8.self)
            #expect(!text.contains("ann@mail.example"))
            #expect(!text.contains("secret-token"))
            #expect(!text.contains("token="))
        }
    }

    @Test("RFC 2047 words decode back; quoted-printable round-trips")
    func encodings() {
        let subject = "Påminnelse: Acme väntar fortfarande på ditt svar – en lång rad med åäö och mer text"
        let encoded = EmailRenderer.encodeHeader(subject)
        let decoded = encoded.components(separatedBy: "\r\n ").map { word -> String in
            let base64 = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
        #expect(decoded == subject)
        #expect(encoded.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 75 })
        let body = "Line one åäö = equals\n.starts with a dot\n" + String(repeating: "long ", count: 40)
        #expect(Self.decodeQP(EmailRenderer.quotedPrintable(body)) == body)
    }

    @Test("the compiled templates give the templates' own words: empty title and label, a long multi-line message, every kind × language")
    func compiledTemplatesMatchTheText() throws {
        for kind in NotificationKind.allCases {
            for language in Language.allCases {
                var context = Fixtures.makeContext(kind: kind, language: language)
                context.reviewTitle = ""
                context.referenceLabel = ""
                context.recipientName = "Zoë \"Z\" O'Neil = ok"
                context.businessMessage = "First = line\n\n.dot line\n" + String(repeating: "wörd ", count: 30)
                let email = Fixtures.renderer.render(context)
                let link = kind.isForReviewer ? Fixtures.renderer.replyBaseURL + "?token=" + context.replyToken : ""
                let text = EmailTemplates.render(context, replyLink: link, deadline: EmailRenderer.formatDate(context.deadline, language))
                #expect(Self.decodedBody(email) == text.body.trimmingCharacters(in: .newlines), "\(kind) \(language)")
                #expect(email.subject == text.subject)
                #expect(!Self.decodedBody(email).unicodeScalars.contains { $0.value >= 0xE000 && $0.value < 0xE009 }, "a value marker is left")
            }
        }
    }

    @Test("quoting a message: each line behind '  > ', line ends as Swift's characters see them",
        arguments: ["", "one", "one\ntwo", "a\n\nb\n", "\n", "crlf\r\nstays one line\nbut this ends", "lone\rcr", "åäö\nö"])
    func quoting(message: String) {
        let characterWise = message.split(separator: "\n", omittingEmptySubsequences: false).map { "  > " + $0 }.joined(separator: "\n")
        #expect(EmailTemplates.quote(message) == characterWise)
    }

    static func decodedBody(_ email: RenderedEmail) -> String {
        let text = String(decoding: email.rfc822, as: UTF8.self)
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return self.decodeQP(body)
    }

    static func decodeQP(_ text: String) -> String {
        let joined = text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "\r\n", with: "\n")
        var bytes: [UInt8] = []
        var iterator = Array(joined.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "="), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
