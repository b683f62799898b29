/// The shape rules of DESIGN.md §2 "Inputs"; each failure names the field.
///
/// Lengths are counted in Unicode code points (Swift's `unicodeScalars`), the unit a client in
/// any language can count the same way (Python's `len`, Java's `codePointCount`), and one that
/// bounds the bytes (at most 4 per code point). Grapheme clusters (Swift's `String.count`)
/// would do neither: their boundaries change between Unicode versions, and one "character" may
/// carry any number of combining marks.
enum Validation {
    /// Text of at most `maximum` code points, valid Unicode (Swift strings always are), without
    /// control characters; newlines and tabs only when `multiLine`. `required` forbids empty.
    static func text(
        _ value: String, field: String, maximum: Int, required: Bool = false, multiLine: Bool = false
    ) throws(DomainError) {
        if let ascii = Self.asciiText(value) {
            // The same checks, in the same order, on bytes: no Unicode lookups for ASCII text.
            if required && !ascii.hasNonSpace { throw .invalid(field, "must not be empty") }
            if ascii.characters > maximum {
                throw .invalid(field, "is \(ascii.characters) characters long; the maximum is \(maximum)")
            }
            if let control = multiLine ? ascii.firstControlOtherThanLineBreakOrTab : ascii.firstControl {
                throw Self.controlCharacter(Unicode.Scalar(control), field: field, multiLine: multiLine)
            }
            return
        }
        try self.unicodeText(value, field: field, maximum: maximum, required: required, multiLine: multiLine)
    }

    /// ``text(_:field:maximum:required:multiLine:)`` by scalars: for any text (and the
    /// reference the ASCII path is tested against).
    static func unicodeText(
        _ value: String, field: String, maximum: Int, required: Bool = false, multiLine: Bool = false
    ) throws(DomainError) {
        if required && value.trimmingWhitespace.isEmpty { throw .invalid(field, "must not be empty") }
        let count = value.unicodeScalars.count
        if count > maximum { throw .invalid(field, "is \(count) characters long; the maximum is \(maximum)") }
        for scalar in value.unicodeScalars where scalar.properties.generalCategory == .control {
            if multiLine && (scalar == "\n" || scalar == "\r" || scalar == "\t") { continue }
            throw Self.controlCharacter(scalar, field: field, multiLine: multiLine)
        }
    }

    private static func controlCharacter(_ scalar: Unicode.Scalar, field: String, multiLine: Bool) -> DomainError {
        let code = String(scalar.value, radix: 16, uppercase: true)
        return .invalid(field, "contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code)"
            + (multiLine ? "" : " (this field is a single line)"))
    }

    /// What ``text(_:field:maximum:required:multiLine:)`` needs to know of ASCII text, in one
    /// pass over its bytes; nil when the text is not ASCII.
    private struct ASCIIText {
        var characters = 0
        var hasNonSpace = false
        var firstControl: UInt8?
        var firstControlOtherThanLineBreakOrTab: UInt8?
    }

    private static func asciiText(_ value: String) -> ASCIIText? {
        let result = value.utf8.withContiguousStorageIfAvailable { bytes -> ASCIIText? in
            var text = ASCIIText()
            text.characters = bytes.count
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                if !(byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)) { text.hasNonSpace = true }
                if byte < 0x20 || byte == 0x7F {
                    if text.firstControl == nil { text.firstControl = byte }
                    if byte != 0x0A && byte != 0x0D && byte != 0x09 && text.firstControlOtherThanLineBreakOrTab == nil {
                        text.firstControlOtherThanLineBreakOrTab = byte
                    }
                }
            }
            return text
        }
        // Not contiguous (never for native strings): the Unicode path.
        return result ?? nil
    }

    /// An opaque key a caller passes on (a reply token from a link, an idempotency key): 1 to
    /// `maximumBytes` bytes of text without control characters. A well-formed reply token that
    /// opens nothing is NOT_FOUND at the lookup, like a mistyped link.
    static func opaqueKey(_ value: String, field: String, maximumBytes: Int) throws(DomainError) {
        guard value.utf8.count <= maximumBytes else { throw .invalid(field, "is longer than \(maximumBytes) bytes") }
        try self.text(value, field: field, maximum: maximumBytes, required: true)
    }

    /// An id: 1...64 of `[A-Za-z0-9._:-]`.
    static func id(_ value: String, field: String) throws(DomainError) {
        guard !value.isEmpty else { throw .invalid(field, "must not be empty") }
        guard value.utf8.count <= Limits.id else { throw .invalid(field, "is longer than \(Limits.id) characters") }
        // Over the contiguous UTF-8 (every id is a native string): a byte loop, not an iterator.
        var copy = value
        let allowed = copy.withUTF8 { bytes in
            for byte in bytes {
                let letterOrDigit = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                guard letterOrDigit || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D else { return false }
            }
            return true
        }
        guard allowed else { throw .invalid(field, "may contain only letters, digits and . _ : - (got \(value.debugDescription))") }
    }

    /// `local@domain.tld`: one `@`, no spaces, a dot in the domain, nothing empty.
    static func email(_ value: String, field: String, required: Bool = true) throws(DomainError) {
        if value.isEmpty && !required { return }
        try self.text(value, field: field, maximum: Limits.email, required: true)
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
            !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" })
        else { throw .invalid(field, "is not an email address like name@example.com") }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else {
            throw .invalid(field, "is not an email address like name@example.com")
        }
    }

    /// Digits, spaces and `+ ( ) - .`; a `+` only first; 6...20 digits.
    static func phone(_ value: String, field: String) throws(DomainError) {
        try self.text(value, field: field, maximum: Limits.phone)
        let allowed = value.allSatisfy { $0.isASCII && ($0.isNumber || " +()-.".contains($0)) }
        let digits = value.filter { $0.isASCII && $0.isNumber }.count
        let plusOnlyFirst = !value.dropFirst().contains("+")
        guard allowed, plusOnlyFirst, (6...20).contains(digits) else {
            throw .invalid(field, "is not a phone number: use digits, spaces and + ( ) - with 6 to 20 digits")
        }
    }

    /// `YYYY-MM-DD` in ASCII digits with month 1-12 and day 1-31, or empty (one pass over the
    /// bytes, nothing split).
    static func date(_ value: String, field: String) throws(DomainError) {
        if value.isEmpty { return }
        var copy = value
        let valid = copy.withUTF8 { bytes -> Bool in
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return false }
            for index in 0..<10 where index != 4 && index != 7 && (bytes[index] < 0x30 || bytes[index] > 0x39) { return false }
            let month = Int(bytes[5] - 0x30) * 10 + Int(bytes[6] - 0x30)
            let day = Int(bytes[8] - 0x30) * 10 + Int(bytes[9] - 0x30)
            return (1...12).contains(month) && (1...31).contains(day)
        }
        guard valid else { throw .invalid(field, "must be a date like 2026-11-24") }
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }
}
