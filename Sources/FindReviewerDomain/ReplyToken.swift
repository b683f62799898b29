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
}
