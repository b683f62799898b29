/// The introduction a business acknowledges before its first request (DESIGN.md §2).
public enum Introduction {
    /// How Find Reviewer works, in the business's language.
    public static func text(_ language: Language) -> String {
        switch language {
        case .en:
            return """
                Find Reviewer lets you ask the author of a review for details that show they are your customer, \
                such as an order or booking number, their name, email address or phone number. \
                You write a message; we email it to the reviewer, who has 5 days to answer and gets a reminder after 3. \
                The reviewer decides what to share, and cannot attach files. \
                We tell you by email when they answer, decline, or let the time run out. \
                The review stays online the whole time.
                """
        case .sv:
            return """
                Med Hitta recensent kan du be den som skrivit ett omdöme om uppgifter som visar att hen är din kund, \
                till exempel ett order- eller bokningsnummer, namn, e-postadress eller telefonnummer. \
                Du skriver ett meddelande som vi mejlar till recensenten. Hen har 5 dagar på sig att svara och får en påminnelse efter 3. \
                Recensenten väljer själv vad hen delar och kan inte bifoga filer. \
                Vi meddelar dig via e-post när hen svarar, avböjer eller när tiden har gått ut. \
                Omdömet ligger kvar online under hela tiden.
                """
        case .de:
            return """
                Mit „Bewerter finden“ können Sie den Verfasser einer Bewertung um Angaben bitten, die ihn als Ihren Kunden ausweisen, \
                etwa eine Bestell- oder Buchungsnummer, den Namen, die E-Mail-Adresse oder Telefonnummer. \
                Sie schreiben eine Nachricht, die wir dem Bewerter per E-Mail schicken. Er hat 5 Tage Zeit zu antworten und wird nach 3 Tagen erinnert. \
                Der Bewerter entscheidet selbst, was er teilt, und kann keine Dateien anhängen. \
                Wir benachrichtigen Sie per E-Mail, wenn er antwortet, ablehnt oder die Frist abläuft. \
                Die Bewertung bleibt die ganze Zeit online.
                """
        }
    }
}
