/// The words the views carry, per language: timeline steps and the notices of a request's
/// business and reviewer views (retention, erasure, a block). Dates are in UTC, like the emails'.
public enum ViewTexts {
    /// What a timeline step means, for the business.
    public static func timeline(_ kind: TimelineKind, _ language: Language) -> String {
        switch (kind, language) {
        case (.created, .en): return "Request sent to the reviewer"
        case (.created, .sv): return "Förfrågan skickad till recensenten"
        case (.created, .de): return "Anfrage an den Bewerter gesendet"
        case (.automaticReminderSent, .en): return "Automatic reminder sent to the reviewer"
        case (.automaticReminderSent, .sv): return "Automatisk påminnelse skickad till recensenten"
        case (.automaticReminderSent, .de): return "Automatische Erinnerung an den Bewerter gesendet"
        case (.answered, .en): return "The reviewer answered"
        case (.answered, .sv): return "Recensenten svarade"
        case (.answered, .de): return "Der Bewerter hat geantwortet"
        case (.replyOpened, .en): return "The business opened the reply"
        case (.replyOpened, .sv): return "Företaget öppnade svaret"
        case (.replyOpened, .de): return "Das Unternehmen hat die Antwort geöffnet"
        case (.declined, .en): return "The reviewer declined to share details"
        case (.declined, .sv): return "Recensenten avböjde att dela uppgifter"
        case (.declined, .de): return "Der Bewerter möchte keine Angaben machen"
        case (.withdrawn, .en): return "The business withdrew the request"
        case (.withdrawn, .sv): return "Företaget drog tillbaka förfrågan"
        case (.withdrawn, .de): return "Das Unternehmen hat die Anfrage zurückgezogen"
        case (.expired, .en): return "No answer within 5 days"
        case (.expired, .sv): return "Inget svar inom 5 dagar"
        case (.expired, .de): return "Keine Antwort innerhalb von 5 Tagen"
        case (.manualReminderSent, .en): return "Reminder sent by the business; 5 more days to answer"
        case (.manualReminderSent, .sv): return "Påminnelse skickad av företaget; 5 dagar till att svara"
        case (.manualReminderSent, .de): return "Erinnerung durch das Unternehmen gesendet; 5 weitere Tage für eine Antwort"
        case (.replyDetailsErased, .en): return "The details the reviewer shared were removed after the retention period"
        case (.replyDetailsErased, .sv): return "Uppgifterna som recensenten delade togs bort efter lagringstiden"
        case (.replyDetailsErased, .de): return "Die Angaben des Bewerters wurden nach Ablauf der Aufbewahrungsfrist gelöscht"
        case (.reviewerErased, .en): return "The reviewer's personal data was erased"
        case (.reviewerErased, .sv): return "Recensentens personuppgifter raderades"
        case (.reviewerErased, .de): return "Die personenbezogenen Daten des Bewerters wurden gelöscht"
        }
    }

    /// The business's notice on a request: the reviewer's erasure, the details removed after
    /// retention, or until when they are kept; empty when there is nothing to say. A block is
    /// never mentioned: the business sees only that the reviewer declined.
    static func businessNotice(_ request: InfoRequest, retainedUntil: UnixSeconds?, retention: UnixSeconds, _ language: Language) -> String {
        let days = retention / Schedule.day
        if let erasedAt = request.reviewerErasedAt {
            let date = CivilTime.format(erasedAt, language)
            switch language {
            case .en: return "The reviewer's personal data was erased on \(date): what they shared is no longer available and they cannot be contacted."
            case .sv: return "Recensentens personuppgifter raderades \(date): det hen delade finns inte längre kvar och hen kan inte kontaktas."
            case .de:
                return "Die personenbezogenen Daten des Bewerters wurden am \(date) gelöscht: Geteilte Angaben sind nicht mehr verfügbar, "
                    + "und der Bewerter kann nicht kontaktiert werden."
            }
        }
        if let erasedAt = request.replyErasedAt {
            let date = CivilTime.format(erasedAt, language)
            switch language {
            case .en: return "The details the reviewer shared were removed on \(date), \(days) days after they answered (the retention period)."
            case .sv: return "Uppgifterna som recensenten delade togs bort \(date), \(days) dagar efter svaret (lagringstiden)."
            case .de: return "Die Angaben des Bewerters wurden am \(date) gelöscht, \(days) Tage nach seiner Antwort (Aufbewahrungsfrist)."
            }
        }
        if let retainedUntil {
            let date = CivilTime.format(retainedUntil, language)
            switch language {
            case .en: return "The details the reviewer shared are kept until \(date) (\(days) days after the answer), then removed."
            case .sv: return "Uppgifterna som recensenten delade sparas till \(date) (\(days) dagar efter svaret) och tas sedan bort."
            case .de: return "Die Angaben des Bewerters werden bis \(date) aufbewahrt (\(days) Tage nach der Antwort) und danach gelöscht."
            }
        }
        return ""
    }

    /// The reviewer's notice on a request page: the block of its business, and what happens to
    /// what they shared; empty when there is nothing to say.
    static func reviewerNotice(
        _ request: InfoRequest, business: String, blocked: Bool, retainedUntil: UnixSeconds?, _ language: Language
    ) -> String {
        var parts: [String] = []
        if blocked {
            switch language {
            case .en: parts.append("You asked \(business) not to contact you again through Find Reviewer. You can allow it again here at any time.")
            case .sv: parts.append("Du har bett \(business) att inte kontakta dig igen via Hitta recensent. Du kan tillåta det igen här när du vill.")
            case .de:
                parts.append("Sie haben \(business) gebeten, Sie über „Bewerter finden“ nicht mehr zu kontaktieren. Sie können es hier jederzeit wieder erlauben.")
            }
        }
        if let erasedAt = request.replyErasedAt {
            let date = CivilTime.format(erasedAt, language)
            switch language {
            case .en: parts.append("What you shared with \(business) was deleted on \(date).")
            case .sv: parts.append("Det du delade med \(business) raderades \(date).")
            case .de: parts.append("Ihre Angaben an \(business) wurden am \(date) gelöscht.")
            }
        } else if let retainedUntil {
            let date = CivilTime.format(retainedUntil, language)
            switch language {
            case .en: parts.append("\(business) can see what you shared until \(date); then it is deleted.")
            case .sv: parts.append("\(business) kan se det du delade till \(date); sedan raderas det.")
            case .de: parts.append("\(business) kann Ihre Angaben bis \(date) sehen; danach werden sie gelöscht.")
            }
        }
        return parts.joined(separator: " ")
    }
}
