import FindReviewerDomain
import Glibc

/// The words of every email, per language. Written for this product; the reviewer's emails
/// quote only what the business wrote, and the business's emails never carry the reviewer's
/// address or reply link.
enum EmailTemplates {
    struct Text {
        var subject: String
        var body: String
    }

    static func defaultReferenceLabel(_ language: Language) -> String {
        switch language {
        case .en: return "Reference number"
        case .sv: return "Referensnummer"
        case .de: return "Referenznummer"
        }
    }

    static func fieldName(_ field: RequestedField, label: String, _ language: Language) -> String {
        switch (field, language) {
        case (.referenceNumber, _): return label.isEmpty ? self.defaultReferenceLabel(language) : label
        case (.email, .en): return "Email address"
        case (.email, .sv): return "E-postadress"
        case (.email, .de): return "E-Mail-Adresse"
        case (.fullName, .en): return "Full name"
        case (.fullName, .sv): return "Fullständigt namn"
        case (.fullName, .de): return "Vollständiger Name"
        case (.phone, .en): return "Phone number"
        case (.phone, .sv): return "Telefonnummer"
        case (.phone, .de): return "Telefonnummer"
        }
    }

    /// What an email's words are filled with; each is inserted as it is.
    struct Values {
        var business: String
        var recipientName: String
        var requestId: String
        var reviewTitle: String
        /// ` “title”`, or empty when the review has no title.
        var review: String
        var deadline: String
        /// The requested details, one `  - name` line each.
        var fields: String
        /// The business's message, each line as `  > line`.
        var quoted: String
        var replyLink: String

        /// Every value, in the order of ``CompiledTemplate``'s value numbers.
        var all: [String] {
            [self.business, self.recipientName, self.requestId, self.reviewTitle, self.review, self.deadline, self.fields,
             self.quoted, self.replyLink]
        }
    }

    /// The values of `context`.
    static func values(_ context: NotificationContext, replyLink: String, deadline: String) -> Values {
        let language = context.language
        let fields = context.requestedFields.map { "  - " + self.fieldName($0, label: context.referenceLabel, language) }
            .joined(separator: "\n")
        return Values(
            business: context.businessName, recipientName: context.recipientName, requestId: context.entry.requestId,
            reviewTitle: context.reviewTitle, review: context.reviewTitle.isEmpty ? "" : " “\(context.reviewTitle)”",
            deadline: deadline, fields: fields, quoted: self.quote(context.businessMessage), replyLink: replyLink)
    }

    /// Each line of `message` as `  > line`. Lines end at "\n" characters; "\r\n" is one Swift
    /// character and no line end, so a message holding "\r" takes the character-wise path.
    static func quote(_ message: String) -> String {
        let bytes = message.utf8
        guard !bytes.contains(13) else {
            return message.split(separator: "\n", omittingEmptySubsequences: false).map { "  > " + $0 }.joined(separator: "\n")
        }
        var out: [UInt8] = [32, 32, 62, 32]
        out.reserveCapacity(bytes.count + 64)
        for byte in bytes {
            out.append(byte)
            if byte == 10 { out.append(contentsOf: [32, 32, 62, 32]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``quote(_:)`` appended to `out` as UTF-8.
    static func quote(_ message: String, into out: inout [UInt8]) {
        var message = message
        let plain = message.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                out.append(contentsOf: [32, 32, 62, 32])
                return true
            }
            guard memchr(base, 13, bytes.count) == nil else { return false }
            out.append(contentsOf: [32, 32, 62, 32])
            var start = 0
            while start < bytes.count {
                guard let newline = memchr(base + start, 10, bytes.count - start) else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
                    break
                }
                let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                out.append(contentsOf: [32, 32, 62, 32])
                start = end
            }
            return true
        }
        if !plain { out.append(contentsOf: self.quote(message).utf8) }
    }

    /// The subject and body of `context` (the renderer uses ``compiled(_:_:)``, which gives the same text).
    static func render(_ context: NotificationContext, replyLink: String, deadline: String) -> Text {
        self.text(context.entry.kind, context.language, self.values(context, replyLink: replyLink, deadline: deadline))
    }

    /// The words of one kind in one language, filled with `values`.
    static func text(_ kind: NotificationKind, _ language: Language, _ values: Values) -> Text {
        let business = values.business
        let fields = values.fields
        let quoted = values.quoted
        let review = values.review
        let deadline = values.deadline
        let replyLink = values.replyLink
        switch (kind, language) {
        case (.requestToReviewer, .en):
            return Text(
                subject: "\(business) would like to know more about your review",
                body: """
                    Hello \(values.recipientName),

                    \(business) read your review\(review) and could not match it to a customer record. They asked us to pass on this message:

                    \(quoted)

                    They would like to know:
                    \(fields)

                    You decide what to share, if anything. Answers are text only; files cannot be attached. Your review stays online either way.

                    Answer or decline here before \(deadline):
                    \(replyLink)

                    This message was sent on behalf of \(business) through the review platform's Find Reviewer service.
                    """)
        case (.requestToReviewer, .sv):
            return Text(
                subject: "\(business) vill veta mer om ditt omdöme",
                body: """
                    Hej \(values.recipientName),

                    \(business) har läst ditt omdöme\(review) men hittar dig inte bland sina kunder. De har bett oss vidarebefordra det här meddelandet:

                    \(quoted)

                    De undrar över:
                    \(fields)

                    Du bestämmer själv vad du vill dela, om något alls. Svaret är bara text; filer kan inte bifogas. Ditt omdöme ligger kvar oavsett.

                    Svara eller avböj här senast \(deadline):
                    \(replyLink)

                    Meddelandet skickades på uppdrag av \(business) via recensionsplattformens tjänst Hitta recensent.
                    """)
        case (.requestToReviewer, .de):
            return Text(
                subject: "\(business) möchte mehr über Ihre Bewertung erfahren",
                body: """
                    Hallo \(values.recipientName),

                    \(business) hat Ihre Bewertung\(review) gelesen und kann sie keinem Kundenkonto zuordnen. Das Unternehmen hat uns gebeten, Ihnen diese Nachricht weiterzuleiten:

                    \(quoted)

                    Das Unternehmen fragt nach:
                    \(fields)

                    Sie entscheiden selbst, ob und was Sie teilen. Antworten sind reiner Text; Dateien lassen sich nicht anhängen. Ihre Bewertung bleibt in jedem Fall online.

                    Antworten oder ablehnen können Sie hier bis \(deadline):
                    \(replyLink)

                    Diese Nachricht wurde im Auftrag von \(business) über den Dienst „Bewerter finden“ der Bewertungsplattform verschickt.
                    """)
        case (.automaticReminder, .en), (.manualReminder, .en):
            return Text(
                subject: "Reminder: \(business) is still waiting for your answer",
                body: """
                    Hello \(values.recipientName),

                    A reminder: \(business) asked about your review\(review) and has not heard back yet. Their message:

                    \(quoted)

                    They would like to know:
                    \(fields)

                    Sharing is up to you, and your review stays online. You can answer or decline until \(deadline):
                    \(replyLink)
                    """)
        case (.automaticReminder, .sv), (.manualReminder, .sv):
            return Text(
                subject: "Påminnelse: \(business) väntar fortfarande på ditt svar",
                body: """
                    Hej \(values.recipientName),

                    En påminnelse: \(business) har frågat om ditt omdöme\(review) och har ännu inte fått något svar. Deras meddelande:

                    \(quoted)

                    De undrar över:
                    \(fields)

                    Det är upp till dig vad du delar, och ditt omdöme ligger kvar. Du kan svara eller avböja fram till \(deadline):
                    \(replyLink)
                    """)
        case (.automaticReminder, .de), (.manualReminder, .de):
            return Text(
                subject: "Erinnerung: \(business) wartet noch auf Ihre Antwort",
                body: """
                    Hallo \(values.recipientName),

                    eine Erinnerung: \(business) hat zu Ihrer Bewertung\(review) nachgefragt und noch keine Antwort erhalten. Die Nachricht:

                    \(quoted)

                    Das Unternehmen fragt nach:
                    \(fields)

                    Was Sie teilen, entscheiden Sie, und Ihre Bewertung bleibt online. Antworten oder ablehnen können Sie bis \(deadline):
                    \(replyLink)
                    """)
        case (.replyReceived, .en):
            return Text(
                subject: "A reviewer answered your Find Reviewer request",
                body: """
                    Hello \(business),

                    The author of the review\(review) answered your request \(values.requestId). Open the reply in your business account to see what they shared; it will then appear under the review.
                    """)
        case (.replyReceived, .sv):
            return Text(
                subject: "En recensent har svarat på din förfrågan",
                body: """
                    Hej \(business),

                    Den som skrev omdömet\(review) har svarat på din förfrågan \(values.requestId). Öppna svaret i ditt företagskonto för att se vad hen delade; det visas sedan under omdömet.
                    """)
        case (.replyReceived, .de):
            return Text(
                subject: "Ein Bewerter hat auf Ihre Anfrage geantwortet",
                body: """
                    Hallo \(business),

                    der Verfasser der Bewertung\(review) hat auf Ihre Anfrage \(values.requestId) geantwortet. Öffnen Sie die Antwort in Ihrem Unternehmenskonto, um zu sehen, was geteilt wurde; sie erscheint danach unter der Bewertung.
                    """)
        case (.declined, .en):
            return Text(
                subject: "A reviewer declined your Find Reviewer request",
                body: """
                    Hello \(business),

                    The author of the review\(review) chose not to share details for request \(values.requestId). You can still reply to the review publicly, or report it if it breaks the guidelines.
                    """)
        case (.declined, .sv):
            return Text(
                subject: "En recensent avböjde din förfrågan",
                body: """
                    Hej \(business),

                    Den som skrev omdömet\(review) valde att inte dela några uppgifter för förfrågan \(values.requestId). Du kan fortfarande svara offentligt på omdömet, eller rapportera det om det bryter mot riktlinjerna.
                    """)
        case (.declined, .de):
            return Text(
                subject: "Ein Bewerter hat Ihre Anfrage abgelehnt",
                body: """
                    Hallo \(business),

                    der Verfasser der Bewertung\(review) möchte zu Anfrage \(values.requestId) keine Angaben machen. Sie können weiterhin öffentlich auf die Bewertung antworten oder sie melden, wenn sie gegen die Richtlinien verstößt.
                    """)
        case (.expired, .en):
            return Text(
                subject: "No answer to your Find Reviewer request",
                body: """
                    Hello \(business),

                    The author of the review\(review) did not answer request \(values.requestId) within 5 days. You can send one reminder, which gives them 5 more days, reply to the review publicly, or report it.
                    """)
        case (.expired, .sv):
            return Text(
                subject: "Inget svar på din förfrågan",
                body: """
                    Hej \(business),

                    Den som skrev omdömet\(review) svarade inte på förfrågan \(values.requestId) inom 5 dagar. Du kan skicka en påminnelse, som ger 5 dagar till, svara offentligt på omdömet eller rapportera det.
                    """)
        case (.expired, .de):
            return Text(
                subject: "Keine Antwort auf Ihre Anfrage",
                body: """
                    Hallo \(business),

                    der Verfasser der Bewertung\(review) hat innerhalb von 5 Tagen nicht auf Anfrage \(values.requestId) geantwortet. Sie können eine Erinnerung senden, die weitere 5 Tage gibt, öffentlich antworten oder die Bewertung melden.
                    """)
        case (.businessBlocked, .en):
            return Text(
                subject: "You will not hear from \(business) again through Find Reviewer",
                body: """
                    Hello \(values.recipientName),

                    As you asked, \(business) can no longer contact you through Find Reviewer about any of your reviews. If a request from them was still open, it was declined; they are told only that you declined. Your reviews stay online.

                    Changed your mind? You can allow \(business) to contact you again here:
                    \(replyLink)
                    """)
        case (.businessBlocked, .sv):
            return Text(
                subject: "\(business) kommer inte att kontakta dig igen via Hitta recensent",
                body: """
                    Hej \(values.recipientName),

                    Som du bad om kan \(business) inte längre kontakta dig via Hitta recensent om något av dina omdömen. Om en förfrågan från dem fortfarande var öppen har den avböjts; de får bara veta att du avböjde. Dina omdömen ligger kvar.

                    Har du ändrat dig? Här kan du låta \(business) kontakta dig igen:
                    \(replyLink)
                    """)
        case (.businessBlocked, .de):
            return Text(
                subject: "\(business) wird Sie über „Bewerter finden“ nicht mehr kontaktieren",
                body: """
                    Hallo \(values.recipientName),

                    wie gewünscht kann \(business) Sie über „Bewerter finden“ zu keiner Ihrer Bewertungen mehr kontaktieren. War noch eine Anfrage des Unternehmens offen, wurde sie abgelehnt; das Unternehmen erfährt nur, dass Sie abgelehnt haben. Ihre Bewertungen bleiben online.

                    Haben Sie es sich anders überlegt? Hier können Sie \(business) wieder erlauben, Sie zu kontaktieren:
                    \(replyLink)
                    """)
        case (.businessUnblocked, .en):
            return Text(
                subject: "\(business) may contact you again through Find Reviewer",
                body: """
                    Hello \(values.recipientName),

                    \(business) can again ask you about your reviews through Find Reviewer. You decide each time whether to answer.

                    If you did not ask for this, or want to stop it again, use this link:
                    \(replyLink)
                    """)
        case (.businessUnblocked, .sv):
            return Text(
                subject: "\(business) kan kontakta dig igen via Hitta recensent",
                body: """
                    Hej \(values.recipientName),

                    \(business) kan återigen fråga dig om dina omdömen via Hitta recensent. Du bestämmer själv varje gång om du vill svara.

                    Om du inte bad om detta, eller vill stoppa det igen, använd den här länken:
                    \(replyLink)
                    """)
        case (.businessUnblocked, .de):
            return Text(
                subject: "\(business) kann Sie wieder über „Bewerter finden“ kontaktieren",
                body: """
                    Hallo \(values.recipientName),

                    \(business) kann Sie wieder über „Bewerter finden“ zu Ihren Bewertungen befragen. Sie entscheiden jedes Mal selbst, ob Sie antworten.

                    Falls Sie das nicht veranlasst haben oder es wieder beenden möchten, nutzen Sie diesen Link:
                    \(replyLink)
                    """)
        }
    }

    /// `text` of `kind` and `language`, split once into literal bytes and value numbers, so that
    /// rendering an email copies bytes instead of building strings.
    static func compiled(_ kind: NotificationKind, _ language: Language) -> CompiledTemplate {
        self.compiledTable[self.index(kind, language)]
    }

    private static func index(_ kind: NotificationKind, _ language: Language) -> Int {
        NotificationKind.allCases.firstIndex(of: kind)! * Language.allCases.count + Language.allCases.firstIndex(of: language)!
    }

    private static let compiledTable: [CompiledTemplate] = NotificationKind.allCases.flatMap { kind in
        Language.allCases.map { language in
            // Each value becomes a private-use character no template contains, then the text is
            // split at them.
            let markers = (0..<9).map { String(UnicodeScalar(0xE000 + $0)!) }
            let text = EmailTemplates.text(kind, language, Values(
                business: markers[0], recipientName: markers[1], requestId: markers[2], reviewTitle: markers[3],
                review: markers[4], deadline: markers[5], fields: markers[6], quoted: markers[7], replyLink: markers[8]))
            return CompiledTemplate(subject: .init(text.subject), body: .init(text.body))
        }
    }
}

/// A template's text as literal UTF-8 runs and numbered values (``EmailTemplates/Values/all``).
struct CompiledTemplate {
    struct Part {
        /// Literal bytes `start..<end` of ``literals``, then value number `value` (none when -1).
        struct Run {
            var start: Int
            var end: Int
            var value: Int
        }

        /// Every literal byte of the text, in order.
        var literals: [UInt8] = []
        var runs: [Run] = []

        /// Splits `text` at the markers U+E000 + value number.
        init(_ text: String) {
            var start = 0
            for scalar in text.unicodeScalars {
                if scalar.value >= 0xE000 && scalar.value < 0xE009 {
                    self.runs.append(Run(start: start, end: self.literals.count, value: Int(scalar.value - 0xE000)))
                    start = self.literals.count
                } else {
                    self.literals.append(contentsOf: String(scalar).utf8)
                }
            }
            if start < self.literals.count { self.runs.append(Run(start: start, end: self.literals.count, value: -1)) }
        }

        /// The text with `values` filled in, appended to `out`.
        func write(_ values: [String], into out: inout [UInt8]) {
            self.write(into: &out) { number, out in out.append(contentsOf: values[number].utf8) }
        }

        /// The text with each value written by `value(number, &out)`, appended to `out`.
        func write(into out: inout [UInt8], value: (Int, inout [UInt8]) -> Void) {
            self.literals.withUnsafeBufferPointer { literals in
                for run in self.runs {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: literals[run.start..<run.end]))
                    if run.value >= 0 { value(run.value, &out) }
                }
            }
        }
    }

    var subject: Part
    var body: Part
}
