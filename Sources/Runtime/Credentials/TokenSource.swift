import CSystemShims
import Glibc
import Locking

/// Reviewer reply tokens (DESIGN.md §6): 192 bits from the kernel's CSPRNG as 48 lowercase hex
/// digits, without a system call per token. The one generator of tokens: the server's handlers,
/// the benchmarks and the tests take theirs from ``shared``. (The domain has no I/O: a command
/// carries its token, generated here, so replay stays deterministic.)
///
/// `getrandom` fills a 4 KiB buffer at a time (170 tokens); each token takes the next 24 unused
/// bytes, and every byte is handed out once. The bytes are as random as the kernel's; only
/// the number of system calls changes (one per 170 tokens instead of three per token).
public final class TokenSource: Sendable {
    /// The process-wide source.
    public static let shared = TokenSource()
    private static let tokenBytes = 24
    private static let bufferBytes = 4_080  // a multiple of 24

    private struct Buffer {
        var bytes: [UInt8]
        var next: Int
    }
    private let buffer = Locked(Buffer(bytes: [UInt8](repeating: 0, count: TokenSource.bufferBytes), next: TokenSource.bufferBytes))

    /// A fresh token: 48 lowercase hex digits.
    public func next() -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        return self.buffer.withLock { buffer in
            if buffer.next + Self.tokenBytes > buffer.bytes.count {
                Self.refill(&buffer.bytes)
                buffer.next = 0
            }
            let start = buffer.next
            buffer.next += Self.tokenBytes
            defer {
                // A used byte is not kept around.
                for index in start..<start + Self.tokenBytes { buffer.bytes[index] = 0 }
            }
            return String(unsafeUninitializedCapacity: 2 * Self.tokenBytes) { out in
                for index in 0..<Self.tokenBytes {
                    let byte = buffer.bytes[start + index]
                    out[2 * index] = hex[Int(byte >> 4)]
                    out[2 * index + 1] = hex[Int(byte & 0x0F)]
                }
                return 2 * Self.tokenBytes
            }
        }
    }

    private static func refill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            var filled = 0
            while filled < raw.count {
                let count = cshim_getrandom(raw.baseAddress! + filled, raw.count - filled)
                if count > 0 {
                    filled += count
                } else if count < 0 && errno != EINTR {
                    // getrandom does not fail once the pool is initialised; never hand out weak bytes.
                    fatalError("getrandom failed: \(String(cString: strerror(errno)))")
                }
            }
        }
    }
}
