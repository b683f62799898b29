/// Comparison of secrets (reply tokens here, API keys in the server's authorizer) without an
/// early exit, so the time taken does not reveal how much of a guess matched. It reads the
/// UTF-8 in place: comparing a native string with a slice of one allocates nothing.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes.
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        self.equal(lhs, rhs[...])
    }

    /// Whether `lhs` and `rhs` hold the same bytes; `rhs` is often a slice of a request's metadata.
    public static func equal(_ lhs: String, _ rhs: Substring) -> Bool {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { a in
            rhs.withUTF8 { b in
                // The time depends on the lengths only, never on where the bytes differ.
                var difference: UInt8 = a.count == b.count ? 0 : 1
                for index in 0..<min(a.count, b.count) { difference |= a[index] ^ b[index] }
                return difference == 0
            }
        }
    }
}
