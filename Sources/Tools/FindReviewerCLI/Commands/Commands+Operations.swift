import FindReviewerClient
import Foundation
import Messages
import RPC
import ToolSupport

extension Commands {
    /// `snapshot` and `clock ...`: operator commands (admin key).
    static let operations: [Command] = [
        Command(
            CommandSpec(
                ["snapshot"], summary: "Make the server write a snapshot of its state now (admin).",
                discussion: "A server that keeps no snapshots answers FAILED_PRECONDITION (exit status 73).", options: [json])
        ) { invocation throws(CLIError) in
            let answer = try invocation.call("Admin/TriggerSnapshot") { client throws(RPCError) in try client.triggerSnapshot(TriggerSnapshotRequest()) }
            invocation.emit(answer) {
                Table.record([
                    ("snapshot", answer.path), ("sequence", String(answer.sequence)), ("size", "\(Format.count(answer.sizeBytes)) bytes"),
                ])
            }
            return ExitStatus.success
        },
        Command(CommandSpec(["clock"], summary: "Show the server's clock (admin); `clock advance` moves a test clock.", options: [json])) {
            invocation throws(CLIError) in
            let answer = try invocation.call("Admin/GetClock") { client throws(RPCError) in try client.getClock(GetClockRequest()) }
            invocation.emit(answer) { Render.clock(answer) }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["clock", "advance"], summary: "Move a test clock forward; due reminders, expiries and retention erasures happen on the way.",
                discussion: """
                    Only for a server started with --test-clock (`make run ARGS=--test-clock`).
                    DURATION is seconds or a span like 3d, 72h, 1d12h, 90m.

                    Example:
                      findreviewer clock advance 3d
                    """,
                arguments: [ArgumentSpec("DURATION", "How far: seconds, or 3d, 72h, 90m, 1d12h.")], options: [json])
        ) { invocation throws(CLIError) in
            let text = invocation.positional(0)
            guard let seconds = Format.parseSpan(text), (1...31_536_000).contains(seconds) else {
                throw invocation.usage("DURATION must be 1 second to 365 days, as seconds or like 3d, 72h, 90m; not \"\(text)\"")
            }
            let answer = try invocation.call("Admin/AdvanceClock") { client throws(RPCError) in
                try client.advanceClock(AdvanceClockRequest(seconds: seconds))
            }
            invocation.emit(answer) {
                Table.record([
                    ("advanced", Format.span(seconds)), ("now", Format.time(answer.now) + " (\(answer.now))"),
                    ("transitions applied", "\(answer.transitionsApplied) (reminders, expiries and retention erasures that fell due)"),
                ])
            }
            return ExitStatus.success
        },
        Command(
            CommandSpec(
                ["clock", "set"], summary: "Set a test clock to a time (never backwards).",
                arguments: [ArgumentSpec("TIME", "Unix seconds, or 2026-05-01T09:00:00Z.")], options: [json])
        ) { invocation throws(CLIError) in
            let text = invocation.positional(0)
            let formatter = ISO8601DateFormatter()
            guard let now = Int64(text) ?? formatter.date(from: text).map({ Int64($0.timeIntervalSince1970) }) else {
                throw invocation.usage("TIME must be Unix seconds or like 2026-05-01T09:00:00Z, not \"\(text)\"")
            }
            let answer = try invocation.call("Admin/SetClock") { client throws(RPCError) in try client.setClock(SetClockRequest(now: now)) }
            invocation.emit(answer) { Render.clock(answer) }
            return ExitStatus.success
        },
    ]
}
