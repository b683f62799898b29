import Foundation
import ToolSupport

extension Commands {
    /// `outbox`: the emails a local server wrote as files, with the reviewers' reply tokens.
    static let outbox: [Command] = [
        Command(
            CommandSpec(
                ["outbox"], summary: "List the emails the server wrote into DATA-DIR/outbox (reads files; calls nothing).",
                discussion: """
                    With the default file transport the server writes each batch of emails as one mbox
                    file DATA-DIR/outbox/<first entry>-<last entry>.<stamp>.mbox (older releases: one
                    <entry>.eml file per email); this reads both, each email once.
                    A reviewer's email holds the link with their reply token, which `findreviewer reviewer
                    view|reply|decline TOKEN` need; --token prints just that token, waiting briefly for
                    the email to be written (delivery runs in the background).

                    Example:
                      findreviewer outbox --to ann@mail.example --token
                    """,
                options: [
                    .value("to", "TEXT", "Only emails whose To: contains TEXT."),
                    .value("kind", "KIND", "Only this kind (requestToReviewer, automaticReminder, replyReceived, ...)."),
                    .flag("token", "Print only the reply token of the newest matching email that has one."),
                    .value("wait", "SECONDS", "Wait up to SECONDS for a matching email (default 0; 5 with --token)."),
                    .flag("body", "Print the matching emails in full."), json,
                ])
        ) { invocation throws(CLIError) in
            try Self.runOutbox(invocation)
        },
    ]

    private static func runOutbox(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let directory = OutboxReader.directory(dataDirectory: invocation.settings.dataDirectory)
        let wantsToken = invocation.arguments.flag("token")
        var waitSeconds = wantsToken ? 5.0 : 0
        if let text = invocation.arguments.value("wait") {
            guard let seconds = Double(text), (0...600).contains(seconds) else {
                throw invocation.usage("--wait must be 0 to 600 seconds, not \"\(text)\"")
            }
            waitSeconds = seconds
        }
        guard FileManager.default.fileExists(atPath: directory) || waitSeconds > 0 else {
            throw CLIError.failure(
                "no outbox at \(directory)",
                hint: "The server writes emails there once it sends the first one (unless it uses --smtp). Pass --data-dir with the server's data directory.")
        }
        let to = invocation.arguments.value("to")
        let kind = invocation.arguments.value("kind")
        func matching() -> [OutboxEmail] {
            OutboxReader.read(directory: directory).filter { email in
                (to.map { email.to.localizedCaseInsensitiveContains($0) } ?? true) && (kind.map { email.kind == $0 } ?? true)
                    && (!wantsToken || email.token != nil)
            }
        }
        // Delivery runs on a server thread just after the call that made the email: poll, bounded.
        var emails = matching()
        let deadline = Date().addingTimeInterval(waitSeconds)
        while emails.isEmpty && Date() < deadline {
            usleep(20_000)
            emails = matching()
        }
        if wantsToken {
            guard let token = emails.last?.token else {
                throw CLIError.failure(
                    "no email with a reply token in \(directory)" + (to.map { " to \"\($0)\"" } ?? ""),
                    hint: "Reply tokens are only in the reviewer's emails (request and reminders); check --to, or `findreviewer outbox` to see what is there.")
            }
            invocation.console.print(token)
            return ExitStatus.success
        }
        if invocation.json {
            let objects = emails.map { email in
                "{\"entry\":\(Self.quoted(email.entryId)),\"file\":\(Self.quoted(email.file)),\"to\":\(Self.quoted(email.to)),\"subject\":\(Self.quoted(email.subject)),"
                    + "\"kind\":\(Self.quoted(email.kind)),\"date\":\(Self.quoted(email.date)),\"token\":\(email.token.map(Self.quoted) ?? "null")}"
            }
            invocation.console.print("[" + objects.joined(separator: ",") + "]")
            return ExitStatus.success
        }
        if invocation.arguments.flag("body") {
            for email in emails {
                invocation.console.out(
                    "==> \(email.entryId) (\(email.file))\nTo: \(email.to)\nSubject: \(email.subject)\nDate: \(email.date)\nKind: \(email.kind)\n\n\(email.body)\n\n")
            }
            return ExitStatus.success
        }
        var table = Table(["ENTRY", "KIND", "TO", "SUBJECT"])
        for email in emails { table.append([email.entryId, email.kind, email.to, email.subject]) }
        invocation.console.out(table.render(empty: "(no emails)"))
        return ExitStatus.success
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
