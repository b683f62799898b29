/// Reviewer reply tokens: 192 random bits from the system CSPRNG, in URL-safe hex.
public enum ReplyToken {
    /// A fresh token. `SystemRandomNumberGenerator` reads the kernel's CSPRNG (getrandom on Linux).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<3).map { _ -> String in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Compares without an early exit, so the time taken does not reveal how much matched.
    public static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
