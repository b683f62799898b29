import RPC
import ToolSupport

/// Turns a failed call into what a person needs: what went wrong and what to do next.
enum ErrorAdvice {
    /// The error for `error` from `method`, with a hint that fits the status and reason.
    /// `flags` maps request fields (`message`, `review.id`) to the option that sets them.
    static func cliError(_ error: RPCError, method: String, settings: ConnectionSettings, flags: [String: String] = [:]) -> CLIError {
        let shortMethod = method.split(separator: "/").last.map(String.init) ?? method
        var message = "\(shortMethod) failed: \(error.code.name): \(error.message)"
        let detail = error.details.first
        if let detail, !detail.description.isEmpty, detail.description != error.message {
            message += "\n\n" + CLI.wrap(detail.description, indent: "    ")
        }
        return CLIError(.status(error.code), message, hint: self.hint(error, method: shortMethod, settings: settings, flags: flags))
    }

    private static func hint(_ error: RPCError, method: String, settings: ConnectionSettings, flags: [String: String]) -> String {
        let reason = error.details.first?.reason ?? ""
        let field = error.details.first?.field ?? ""
        switch error.code {
        case .unavailable:
            return """
                Is the server running at \(settings.server)? Start it with `make run`, or point --server \
                (or FINDREVIEWER_SERVER) at it. A running server also answers UNAVAILABLE while it shuts \
                down or when it cannot write to its disk: its log says which.
                """
        case .unauthenticated:
            return """
                The server does not know the key: \(settings.keySource). Pass a key from the server's \
                keys file with --key or FINDREVIEWER_KEY, or --data-dir DIR with the server's data \
                directory to use its admin key.
                """
        case .permissionDenied:
            return """
                The key's role may not call \(method) (\(settings.keySource)). `findreviewer list` shows \
                the roles of every method; an admin key may call all of them.
                """
        case .notFound:
            return """
                Check the id: ids are exact and case-sensitive, and a business sees only its own reviews \
                and requests (another business's id is NOT_FOUND too). `findreviewer reviews list \
                --business ID` and `findreviewer requests list --business ID` show what exists.
                """
        case .invalidArgument:
            guard !field.isEmpty else { return "Fix the input and run again; the limits of every field are in Protos/findreviewer/v1/findreviewer.proto." }
            let flag = flags[field].map { "\($0) (field \(field))" } ?? "field \(field)"
            return "Fix \(flag) and run again; the limits of every field are in Protos/findreviewer/v1/findreviewer.proto."
        case .failedPrecondition:
            switch reason {
            case "INTRODUCTION_NOT_ACKNOWLEDGED":
                return "The business must acknowledge the introduction above first: run the same command again with --acknowledge-intro."
            case "NO_TEST_CLOCK":
                return "Only a server started with --test-clock lets admins move its clock: `make run ARGS=--test-clock`."
            case "FIND_REVIEWER_TRY_REQUIRED":
                return """
                    Send a Find Reviewer request on this review first (`findreviewer requests create`); once it \
                    is answered, declined or expired, a not-genuine report is accepted. Other reasons are always available.
                    """
            case "REQUEST_ALREADY_OPEN":
                return "A review has at most one open request: `findreviewer requests list --business ID --review ID` shows it; withdraw it or wait for it to end."
            case "PLATFORM_INVITED_REVIEW":
                return "Only organic and business-invited reviews can get a request; `findreviewer reviews list --business ID --eligible` lists them."
            case "WRONG_STATUS", "REPLY_WINDOW_CLOSED", "MANUAL_REMINDER_ALREADY_USED", "REPLY_NOT_AVAILABLE":
                return "The request's status does not allow this now (\(reason)); `findreviewer requests show --business ID REQUEST-ID` shows its status and timeline."
            default:
                return "The server refuses this in its current state\(reason.isEmpty ? "" : " (\(reason))"); the message above says why."
            }
        case .deadlineExceeded:
            return "No answer within \(settings.timeout): raise --timeout, or look at the server's load and log."
        case .resourceExhausted:
            return "A server limit was reached (payload size, calls in flight or connections): send less at once."
        case .unimplemented:
            return "This server does not serve \(method): `findreviewer list` shows what it serves (is it an older or newer version?)."
        case .internal:
            return "This is a bug in the server (or an unreadable answer): its log has one line per call with the details; please report it."
        default:
            return ""
        }
    }
}
