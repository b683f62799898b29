import FindReviewerDomain
import Foundation
@testable import Notifications
import Testing

/// Today's byte-writing renderer against the frozen string-building one (``LegacyEmailRenderer``):
/// the same bytes for every kind and language, over inputs chosen to reach every branch of the
/// header encoding, folding, quoting and quoted-printable code.
@Suite("Emails: the renderer writes exactly what the string-building renderer wrote")
struct RendererEquivalenceTests {
    static let names = [
        "", "Ann Andersson", "Ann Ångström", "Ann-Marie O. Smith", String(repeating: "Longname ", count: 10),
        String(repeating: "Åsa Öberg ", count: 7), "Zoë 👩‍👩‍👧 Family", "Jose\u{301} Garci\u{301}a", "한국 식당 김", "Line\r\nBreak",
        "“Quoted” – name…", "€ Euro", "A\u{200D}B",
    ]
    static let businesses = [
        "Acme", "Acme Resor", String(repeating: "Acme Travel Group ", count: 5), "Café Ümlaut GmbH & Co. KG", "🍕 Pizza",
        String(repeating: "Ünïcödé ", count: 9), "नमस्ते होटल", "🇸🇪🇩🇪 Flags", "=?utf-8?B?x?= tricky", "x",
    ]
    static let messages = [
        "", "One line.", "Two\nlines", "Line\r\nwith CR", ".starts with a dot\n.and again", "trailing space \nnext",
        String(repeating: "a=b c ", count: 60), "From here on\nFrom there\n>From quoted", "\tTabbed\n\n\nblank lines",
        String(repeating: "Vi hittar inte din bokning på Ågatan. ", count: 8), "end with newline\n", "   \n   ",
        String(repeating: "x", count: 200), "é" + String(repeating: "y", count: 74) + " \n",
    ]
    static let titles = ["", "Stökig incheckning", String(repeating: "Never got the room ", count: 6), " "]
    static let fieldSets: [[RequestedField]] = [[], [.email], [.referenceNumber, .fullName, .phone], [.phone, .email, .fullName, .referenceNumber]]
    static let labels = ["", "Booking number", "Bokningsnummer", "Référence ✈"]
    static let times: [Int64] = [1_795_536_000, 0, 1_795_968_000 + 3_599, -62_135_596_800 - 86_400 * 400, 253_402_300_800, 951_782_400]
    static let renderers = [
        EmailRenderer(from: "FindReviewer <no-reply@reviews.example>", replyBaseURL: "https://reviews.example/find-reviewer/reply"),
        EmailRenderer(
            from: "Fïnd Rëviewer Notifications Department of the Review Platform <no-reply@notifications.reviews.example>",
            replyBaseURL: "https://r.example/" + String(repeating: "path/", count: 20),
            messageIdDomain: String(repeating: "long-domain.", count: 6) + "example"),
    ]

    static func legacy(_ renderer: EmailRenderer) -> LegacyEmailRenderer {
        LegacyEmailRenderer(from: renderer.from, replyBaseURL: renderer.replyBaseURL, messageIdDomain: renderer.messageIdDomain)
    }

    @Test("byte-identical output, every kind × language, 60 varied contexts each", arguments: NotificationKind.allCases, Language.allCases)
    func sameBytes(kind: NotificationKind, language: Language) {
        // A fixed sequence (linear congruential), so a failure repeats.
        var seed: UInt64 = UInt64(kind.rawValue.utf8.count * 31 + language.rawValue.utf8.count)
        func pick<T>(_ values: [T]) -> T {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return values[Int((seed >> 33) % UInt64(values.count))]
        }
        for round in 0..<60 {
            let renderer = Self.renderers[round % 2]
            let context = NotificationContext(
                entry: OutboxEntry(
                    id: round % 7 == 0 ? "out_" + String(repeating: "1", count: 70) : "out_000000\(10 + round)", kind: kind,
                    requestId: pick(["req_00000003", "req_" + String(repeating: "9", count: 40)]), createdAt: pick(Self.times)),
                recipientAddress: pick(["ann@mail.example", "very.long.address." + String(repeating: "x", count: 60) + "@mail.example", "åsa@exämple.se"]),
                recipientName: pick(Self.names), language: language, businessName: pick(Self.businesses),
                businessMessage: pick(Self.messages), requestedFields: pick(Self.fieldSets), referenceLabel: pick(Self.labels),
                deadline: pick(Self.times), replyToken: pick(["", String(repeating: "ab", count: 24)]), reviewTitle: pick(Self.titles))
            let today = renderer.render(context)
            let before = Self.legacy(renderer).render(context)
            #expect(today == before, "round \(round): \(String(decoding: today.rfc822, as: UTF8.self))")
        }
    }

    @Test("changing the sender after creating the renderer changes the From line")
    func senderChange() {
        var renderer = Self.renderers[0]
        renderer.from = "Other <other@reviews.example>"
        let context = Fixtures.makeContext(kind: .declined, language: .en)
        #expect(renderer.render(context) == Self.legacy(renderer).render(context))
        #expect(String(decoding: renderer.render(context).rfc822, as: UTF8.self).hasPrefix("From: Other <other@reviews.example>\r\n"))
    }
}
