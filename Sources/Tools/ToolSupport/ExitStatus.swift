import RPC

/// The exit status of `findreviewer` (and `findreviewer-load`), one fixed value per outcome.
///
/// | Status | Meaning |
/// | --- | --- |
/// | 0 | success |
/// | 1 | the command ran but failed otherwise (health not serving, demo step went wrong, load errors) |
/// | 2 | bad command line or input file: nothing was sent |
/// | 64 + gRPC code | a call ended with that status, e.g. 69 NOT_FOUND, 78 UNAVAILABLE, 80 UNAUTHENTICATED |
///
/// The `64 +` rule is grpcurl's, so scripts written for one read the other.
public enum ExitStatus {
    /// Success.
    public static let success: Int32 = 0
    /// A failure that is not a status of a call.
    public static let failure: Int32 = 1
    /// The command line or its input cannot be used.
    public static let usage: Int32 = 2
    /// Added to a gRPC status code.
    public static let statusBase: Int32 = 64

    /// The exit status for a call that ended with `code`.
    public static func forStatus(_ code: StatusCode) -> Int32 {
        guard code != .ok else { return self.success }
        // Codes this version does not name still map to a distinct status below 256.
        return (1...191).contains(code.rawValue) ? self.statusBase + code.rawValue : self.failure
    }

    /// The gRPC status an exit status stands for, if it stands for one.
    public static func status(forExitStatus status: Int32) -> StatusCode? {
        status > self.statusBase && status < 256 ? StatusCode(rawValue: status - self.statusBase) : nil
    }
}
