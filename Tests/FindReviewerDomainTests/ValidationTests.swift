@testable import FindReviewerDomain
import Testing

@Suite("Text validation: the ASCII path agrees with the Unicode one")
struct ValidationTests {
    static func outcome(_ check: () throws(DomainError) -> Void) -> DomainError? {
        do {
            try check()
            return nil
        } catch {
            return error
        }
    }

    @Test("random ASCII texts (controls, CR LF, spaces, lengths around the maximum): same error or none")
    func asciiMatchesUnicode() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x00, 0x07, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x41, 0x7A, 0x7F, 0x2E, 0x0C]
        var rejected = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : 0x61
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let maximum = Int.random(in: 0...12, using: &generator)
            let required = Bool.random(using: &generator)
            let multiLine = Bool.random(using: &generator)
            let fast = Self.outcome { () throws(DomainError) in
                try Validation.text(text, field: "f", maximum: maximum, required: required, multiLine: multiLine)
            }
            let reference = Self.outcome { () throws(DomainError) in
                try Validation.unicodeText(text, field: "f", maximum: maximum, required: required, multiLine: multiLine)
            }
            #expect(fast == reference, "\(bytes) maximum \(maximum) required \(required) multiLine \(multiLine)")
            if fast != nil { rejected += 1 }
        }
        #expect(rejected > 1_000)
    }

    @Test("lengths are code points: CR LF is two, a combining mark one more; non-ASCII text takes the Unicode path")
    func characters() {
        #expect(Self.outcome { () throws(DomainError) in try Validation.text("a\r\nb", field: "f", maximum: 4, multiLine: true) } == nil)
        #expect(Self.outcome { () throws(DomainError) in try Validation.text("a\r\nb", field: "f", maximum: 3, multiLine: true) } != nil)
        // One grapheme cluster, two code points, three bytes: counted as two.
        #expect(Self.outcome { () throws(DomainError) in try Validation.text("e\u{301}", field: "f", maximum: 2) } == nil)
        #expect(Self.outcome { () throws(DomainError) in try Validation.text("e\u{301}", field: "f", maximum: 1) } != nil)
        #expect(Self.outcome { () throws(DomainError) in try Validation.text("🇸🇪", field: "f", maximum: 1) } != nil)
        #expect(Self.outcome { () throws(DomainError) in try Validation.text("Ångström", field: "f", maximum: 8) } == nil)
        #expect(Self.outcome { () throws(DomainError) in try Validation.text("Å\u{85}", field: "f", maximum: 8) }?.message.contains("U+0085") == true)
    }

    @Test("dates are YYYY-MM-DD in ASCII digits with month 1-12 and day 1-31; empty is no date")
    func dates() {
        func accepted(_ value: String) -> Bool {
            Self.outcome { () throws(DomainError) in try Validation.date(value, field: "d") } == nil
        }
        for value in ["", "2026-11-24", "0000-01-01", "9999-12-31", "2026-02-31"] { #expect(accepted(value), "\(value)") }
        let refused = [
            "2026-13-01", "2026-00-10", "2026-11-00", "2026-11-32", "24/11/2026", "2026-1-024", "2026-+1-05", "+026-11-05",
            "2026-11-2", "2026-11-245", "2026/11/24", "2026-11-2a", "２０２６-11-24", "2026-11-24 ", " 2026-11-24", "20261124--",
        ]
        for value in refused { #expect(!accepted(value), "\(value)") }
        #expect(Self.outcome { () throws(DomainError) in try Validation.date("2026-13-01", field: "d") }?.field == "d")
    }
}
