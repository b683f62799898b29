/// Dates for people, in UTC, without Foundation: the domain's texts and the emails write times
/// the same way.
public enum CivilTime {
    /// The civil date and time of Unix seconds, in UTC (Howard Hinnant's days-from-civil inverse).
    public static func parts(_ time: UnixSeconds) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = Int((time >= 0 ? time : time - 86_399) / 86_400)
        let secondsOfDay = Int(time - Int64(days) * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondsOfDay / 3_600, secondsOfDay % 3_600 / 60, secondsOfDay % 60)
    }

    static let months: [Language: [String]] = [
        .en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        .sv: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
        .de: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    ]

    /// A time in the reader's language, in UTC: `29 November 2026, 14:00 UTC`.
    public static func format(_ time: UnixSeconds, _ language: Language) -> String {
        let parts = self.parts(time)
        let month = self.months[language]![parts.month - 1]
        let clock = Self.twoDigits(parts.hour) + ":" + Self.twoDigits(parts.minute)
        switch language {
        case .en: return "\(parts.day) \(month) \(parts.year), \(clock) UTC"
        case .sv: return "\(parts.day) \(month) \(parts.year) kl. \(clock) UTC"
        case .de: return "\(parts.day). \(month) \(parts.year), \(clock) Uhr UTC"
        }
    }

    /// ISO 8601 in UTC, to the second: `2026-11-29T14:00:00Z` (for messages to programs and operators).
    public static func iso8601(_ time: UnixSeconds) -> String {
        let parts = self.parts(time)
        let year = String(parts.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + Self.twoDigits(parts.month) + "-"
            + Self.twoDigits(parts.day) + "T" + Self.twoDigits(parts.hour) + ":" + Self.twoDigits(parts.minute) + ":"
            + Self.twoDigits(parts.second) + "Z"
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
