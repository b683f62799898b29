import FindReviewerClient
import Foundation
import Messages
import RPC
import ToolSupport

/// `findreviewer demo`: the whole Find Reviewer story against a server with a test clock,
/// printing each step and the emails it caused.
///
/// Without `--server` it starts its own server (beside this executable, free port, temporary
/// data directory, `--test-clock`), so it needs no setup at all.
enum Demo {
    static let command = Command(
        CommandSpec(
            ["demo"], summary: "Walk through the whole Find Reviewer story on a test clock, step by step.",
            discussion: """
                Seeds a business, two reviewers and four reviews, then: the introduction, two requests,
                the reviewer's view, the automatic reminder on day 3, a reply and the business opening
                it, an expiry on day 5, the manual reminder, a refused and then an accepted
                not-genuine report, and the public page. Each step prints what happened and which
                emails were written.

                Without --server (or FINDREVIEWER_SERVER) it starts findreviewer-server itself on a
                free port with a temporary data directory and --test-clock, and stops it at the end.
                With --server, the server must run with --test-clock and the key must be an admin key;
                the demo uses fresh ids, and reads the emails (for the reviewer's reply token) from
                DATA-DIR/outbox, so pass --data-dir with the server's data directory.
                """,
            options: [
                .flag("keep", "Keep the temporary data directory of the server it starts (and say where)."),
                .value("server-binary", "PATH", "The findreviewer-server to start (default: beside this executable)."),
            ])
    ) { invocation throws(CLIError) in
        try Run(invocation: invocation).run()
    }

    /// Ids and names of one run.
    struct Cast {
        var business: String
        var ann: String
        var bob: String
        var annEmail: String
        var bobEmail: String
        var businessEmail: String
        var reviews: [String]

        init(suffix: String) {
            let tail = suffix.isEmpty ? "" : "-" + suffix
            self.business = "acme" + tail
            self.ann = "ann" + tail
            self.bob = "bob" + tail
            self.annEmail = suffix.isEmpty ? "ann@mail.example" : "ann.\(suffix)@mail.example"
            self.bobEmail = suffix.isEmpty ? "bob@mail.example" : "bob.\(suffix)@mail.example"
            self.businessEmail = suffix.isEmpty ? "team@acme.example" : "team.\(suffix)@acme.example"
            self.reviews = (1...4).map { "r\($0)" + tail }
        }
    }

    /// One demo run's state.
    final class Run {
        let invocation: Invocation
        let console: Console
        var step = 0
        var seenEmails: Set<String> = []
        var outbox = ""
        var emailCount = 0
        var t0: Int64 = 0
        /// The story's addresses: on a shared server, other data's emails are not the story's.
        var recipients: [String] = []

        init(invocation: Invocation) {
            self.invocation = invocation
            self.console = invocation.console
        }

        func run() throws(CLIError) -> Int32 {
            let settings = self.invocation.settings
            if settings.serverGiven {
                return try self.story(address: settings.server, keys: { _ in settings.key }, dataDirectory: settings.dataDirectory, owned: false)
            }
            let binary = self.invocation.arguments.value("server-binary") ?? OwnedServer.defaultBinary()
            let server = try OwnedServer(binary: binary)
            let keep = self.invocation.arguments.flag("keep")
            self.console.print("Started findreviewer-server on \(server.address) with --test-clock; data in \(server.dataDirectory)")
            defer {
                server.stop(keepData: keep)
                self.console.print(
                    keep ? "\nStopped the server; its data directory is kept: \(server.dataDirectory)"
                        : "\nStopped the server and removed its temporary data directory (--keep keeps it).")
            }
            return try self.story(address: server.address, keys: server.key(role:), dataDirectory: server.dataDirectory, owned: true)
        }

        // MARK: the story

        func story(address: String, keys: (String) -> String?, dataDirectory: String, owned: Bool) throws(CLIError) -> Int32 {
            func client(_ role: String) throws(CLIError) -> FindReviewerClient {
                do {
                    if let mapFile = self.invocation.settings.shardMap, !owned {
                        return try FindReviewerClient(router: ShardRouter(mapFile: mapFile, key: keys(role)), timeout: self.invocation.settings.timeout)
                    }
                    return try FindReviewerClient(address: address, key: keys(role), timeout: self.invocation.settings.timeout)
                } catch {
                    throw .usage("the server address \"\(address)\" is not HOST:PORT", path: ["demo"])
                }
            }
            let ingest = try client("reviews-ingest")
            let portal = try client("business-portal")
            let site = try client("consumer-site")
            let admin = try client("admin")
            defer { for each in [ingest, portal, site, admin] { each.rpc.close() } }
            self.outbox = OutboxReader.directory(dataDirectory: dataDirectory)
            self.seenEmails = Set(OutboxReader.fileNames(in: self.outbox))

            let info = try self.call("ServerInfoService/GetServerInfo") { () throws(RPCError) in try admin.getServerInfo() }
            guard info.testClock else {
                throw .failure(
                    "the server at \(address) runs on the real clock; the demo needs one started with --test-clock",
                    hint: "Restart it with `make run ARGS=--test-clock`, or run `findreviewer demo` without --server so it starts its own.")
            }
            self.t0 = try self.call("Admin/GetClock") { () throws(RPCError) in try admin.getClock(GetClockRequest()) }.now
            let cast = Cast(suffix: owned ? "" : String(UUID().uuidString.prefix(6)).lowercased())
            self.recipients = ["<\(cast.annEmail)>", "<\(cast.bobEmail)>", "<\(cast.businessEmail)>"]
            self.console.print("Server clock: \(Format.time(self.t0)) (day 0). Emails are written to \(self.outbox)")

            // 1. Seed.
            self.begin("The reviews pipeline feeds a business, two reviewers and four reviews (reviews-ingest key)")
            _ = try self.call("FindReviewer/UpsertBusiness") { () throws(RPCError) in
                try ingest.upsertBusiness(
                    UpsertBusinessRequest(
                        business: Business(id: cast.business, displayName: "Acme Travel", notificationEmail: cast.businessEmail, locale: "en", plan: .free)))
            }
            _ = try self.call("FindReviewer/UpsertReviewer") { () throws(RPCError) in
                try ingest.upsertReviewer(
                    UpsertReviewerRequest(reviewer: Reviewer(id: cast.ann, displayName: "Ann Andersson", email: cast.annEmail, locale: "en")),
                    forBusiness: cast.business)
            }
            _ = try self.call("FindReviewer/UpsertReviewer") { () throws(RPCError) in
                try ingest.upsertReviewer(
                    UpsertReviewerRequest(reviewer: Reviewer(id: cast.bob, displayName: "Bob Berg", email: cast.bobEmail, locale: "sv")),
                    forBusiness: cast.business)
            }
            let reviews: [(String, String, ReviewSource, String)] = [
                (cast.reviews[0], cast.ann, .organic, "Never got the room we booked"),
                (cast.reviews[1], cast.bob, .businessInvitation, "Rude staff at check-in"),
                (cast.reviews[2], cast.ann, .platformInvitation, "Average stay"),
                (cast.reviews[3], cast.bob, .organic, "Worst trip ever"),
            ]
            for (id, reviewer, source, title) in reviews {
                _ = try self.call("FindReviewer/PublishReview") { () throws(RPCError) in
                    try ingest.publishReview(
                        PublishReviewRequest(
                            review: Review(
                                id: id, businessId: cast.business, reviewerId: reviewer, rating: 1, title: title, text: "Not what we paid for.",
                                experienceDate: "2026-04-12", createdAt: self.t0 - 86_400, source: source)))
                }
            }
            self.say("business \(cast.business) \"Acme Travel\"; reviewers \(cast.ann) (English), \(cast.bob) (Swedish)")
            for (id, reviewer, source, title) in reviews { self.say("review \(id) by \(reviewer), \(Format.name(source)): \"\(title)\"") }

            // 2. The introduction.
            self.begin("Acme asks about \(cast.reviews[0]) before reading the introduction: refused (business-portal key)")
            var first = CreateInfoRequestRequest(
                businessId: cast.business, reviewId: cast.reviews[0],
                message: "Hello! We cannot find your booking in our system.\nCould you share the booking number and your name?",
                requestedFields: [.referenceNumber, .fullName], referenceLabel: "Booking number")
            let refused = try self.expectFailure("FindReviewer/CreateInfoRequest") { () throws(RPCError) in _ = try portal.createInfoRequest(first) }
            self.say("\(refused.code.name) (\(refused.details.first?.reason ?? "")): \(refused.message)")
            if let text = refused.details.first?.description, !text.isEmpty {
                self.console.print(CLI.wrap(text, indent: "     | ", width: 96))
            }
            let acknowledged = try self.call("FindReviewer/AcknowledgeIntroduction") { () throws(RPCError) in
                try portal.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: cast.business))
            }
            self.say("Acme acknowledges the introduction at \(Format.time(acknowledged.business?.introAcknowledgedAt ?? 0))")
            var platform = first
            platform.reviewId = cast.reviews[2]
            let platformRefusal = try self.expectFailure("FindReviewer/CreateInfoRequest") { () throws(RPCError) in
                _ = try portal.createInfoRequest(platform)
            }
            self.say("\(cast.reviews[2]) came through a platform invitation: \(platformRefusal.code.name): \(platformRefusal.message)")

            // 3. Two requests.
            self.begin("Acme sends two Find Reviewer requests: about \(cast.reviews[0]) (Ann) and \(cast.reviews[1]) (Bob)")
            first.acknowledgeIntro = false
            let annRequest = try self.request(
                try self.call("FindReviewer/CreateInfoRequest") { () throws(RPCError) in try portal.createInfoRequest(first) }.request)
            let second = CreateInfoRequestRequest(
                businessId: cast.business, reviewId: cast.reviews[1], message: "Hi! Which day did you check in? We would like to talk to the team.",
                requestedFields: [.email, .phone])
            let bobRequest = try self.request(
                try self.call("FindReviewer/CreateInfoRequest") { () throws(RPCError) in try portal.createInfoRequest(second) }.request)
            for request in [annRequest, bobRequest] {
                self.say(
                    "\(request.id) about \(request.reviewId): \(Format.name(request.status)), asks for \(Render.fields(request.requestedFields, label: request.referenceLabel)); "
                        + "deadline \(self.day(request.deadlineAt))")
            }
            let created = try self.emails(expected: 2)
            guard let token = created.first(where: { $0.to.contains(cast.annEmail) })?.token else {
                throw .failure(
                    "no email to \(cast.annEmail) with a reply link appeared in \(self.outbox)",
                    hint: "The reviewer's reply token exists only in the email. Point --data-dir at the server's data directory "
                        + "(the server must use the file transport, not --smtp), or run `findreviewer demo` without --server.")
            }

            // 4. The reviewer opens the link.
            self.begin("Ann follows the link in her email (consumer-site key, by reply token)")
            let view = try self.call("FindReviewer/ViewRequestByToken") { () throws(RPCError) in
                try site.viewRequestByToken(ViewRequestByTokenRequest(token: token))
            }.request ?? ReviewerRequestView()
            self.say("\(view.businessDisplayName) asks about \"\(view.reviewTitle)\" for: \(Render.fields(view.requestedFields, label: view.referenceLabel))")
            self.say("answer before \(self.day(view.deadlineAt)); the business never sees her email address or this token")

            // 5. Day 3.
            self.begin("Three days pass without an answer (admin: advance the test clock 72h)")
            let day3 = try self.advance(admin, seconds: 72 * 3_600)
            self.say("now \(self.day(day3.now)); \(day3.transitionsApplied) transition(s): the automatic reminder of each pending request")
            if owned { try self.check(day3.transitionsApplied == 2, "expected 2 automatic reminders on day 3, got \(day3.transitionsApplied)") }
            _ = try self.emails(expected: 2)

            // 6. Ann replies.
            self.begin("Ann replies with her booking number and name")
            let replied = try self.call("FindReviewer/ReplyToRequest") { () throws(RPCError) in
                try site.replyToRequest(ReplyToRequestRequest(token: token, referenceNumber: "BK-4711", fullName: "Ann Andersson", note: "It was the Lakeside hotel."))
            }.request ?? ReviewerRequestView()
            self.say("request \(replied.requestId) is now \(Format.name(replied.status)); Acme is told by email")
            _ = try self.emails(expected: 1)

            // 7. Acme opens it.
            self.begin("Acme opens the reply (it is shown only once opened, and the opening is recorded)")
            let opened = try self.request(
                try self.call("FindReviewer/OpenReply") { () throws(RPCError) in
                    try portal.openReply(OpenReplyRequest(businessId: cast.business, requestId: annRequest.id))
                }.request)
            try self.check(opened.status == .answered && opened.reply?.referenceNumber == "BK-4711", "the opened reply is not Ann's")
            self.say("reply: booking number \(opened.reply?.referenceNumber ?? ""), name \(opened.reply?.fullName ?? ""), note \"\(opened.reply?.note ?? "")\"")
            for entry in opened.timeline { self.say("timeline \(self.day(entry.at)): \(Format.name(entry.kind))") }

            // 8. Day 5.
            self.begin("Two more days: Bob never answered, so his request expires on day 5")
            let day5 = try self.advance(admin, seconds: 48 * 3_600)
            let expired = try self.request(
                try self.call("FindReviewer/GetInfoRequest") { () throws(RPCError) in
                    try portal.getInfoRequest(GetInfoRequestRequest(businessId: cast.business, requestId: bobRequest.id))
                }.request)
            self.say("now \(self.day(day5.now)); \(day5.transitionsApplied) transition(s); \(expired.id) is \(Format.name(expired.status))")
            try self.check(expired.status == .expired, "expected \(expired.id) to be expired on day 5, it is \(Format.name(expired.status))")
            _ = try self.emails(expected: 1)

            // 9. Manual reminder.
            self.begin("Acme sends the one manual reminder: Bob gets 5 more days")
            let reopened = try self.request(
                try self.call("FindReviewer/SendManualReminder") { () throws(RPCError) in
                    try portal.sendManualReminder(SendManualReminderRequest(businessId: cast.business, requestId: bobRequest.id))
                }.request)
            try self.check(reopened.status == .pending, "expected the reminded request to be pending again")
            self.say("\(reopened.id) is \(Format.name(reopened.status)) again; new deadline \(self.day(reopened.deadlineAt))")
            let again = try self.expectFailure("FindReviewer/SendManualReminder") { () throws(RPCError) in
                _ = try portal.sendManualReminder(SendManualReminderRequest(businessId: cast.business, requestId: bobRequest.id))
            }
            self.say("a second manual reminder is refused: \(again.code.name): \(again.message)")
            _ = try self.emails(expected: 1)

            // 10. Reports.
            self.begin("Acme reports reviews as not a genuine experience")
            let notGenuine = CreateReportRequest(
                businessId: cast.business, reviewId: cast.reviews[3], reason: .notGenuineExperience,
                explanation: "We have no booking that matches this review.", acknowledgeGuidelines: true)
            let tooEarly = try self.expectFailure("FindReviewer/CreateReport") { () throws(RPCError) in _ = try portal.createReport(notGenuine) }
            self.say("\(cast.reviews[3]) (no Find Reviewer try yet): refused, \(tooEarly.code.name): \(tooEarly.message)")
            var afterTry = notGenuine
            afterTry.reviewId = cast.reviews[0]
            let report = try self.call("FindReviewer/CreateReport") { () throws(RPCError) in try portal.createReport(afterTry) }.report ?? Report()
            try self.check(report.status == .open, "expected the report on \(cast.reviews[0]) to be accepted")
            self.say("\(cast.reviews[0]) (its request was answered): accepted, report \(report.id) is \(Format.name(report.status))")

            // 11. Public page.
            self.begin("The public page of \(cast.reviews[0]): still online, unchanged, marked as contacted")
            let page = try self.call("FindReviewer/GetPublicReview") { () throws(RPCError) in
                try site.getPublicReview(GetPublicReviewRequest(reviewId: cast.reviews[0]))
            }.review ?? PublicReviewView()
            self.say("\"\(page.title)\" (\(page.rating)/5) by \(page.reviewerDisplayName); reviewer contacted: \(page.reviewerContacted ? "yes" : "no")")
            try self.check(page.reviewerContacted, "the public page does not show the contacted flag")

            // 12. Bob blocks Acme.
            self.begin("Bob does not want to hear from Acme again: he blocks it from the link in his email")
            guard let bobToken = created.first(where: { $0.to.contains(cast.bobEmail) })?.token else {
                throw .failure("no email to \(cast.bobEmail) with a reply link appeared in \(self.outbox)")
            }
            let blocked = try self.call("FindReviewer/BlockBusiness") { () throws(RPCError) in
                try site.blockBusiness(BlockBusinessRequest(token: bobToken))
            }.request ?? ReviewerRequestView()
            try self.check(blocked.businessBlocked && blocked.status == .declined, "expected Bob's request declined and Acme blocked")
            self.say("his pending request \(blocked.requestId) is \(Format.name(blocked.status)); Acme is told only that he declined")
            _ = try self.emails(expected: 2)
            var toBob = first
            toBob.reviewId = cast.reviews[3]
            let notContactable = try self.expectFailure("FindReviewer/CreateInfoRequest") { () throws(RPCError) in
                _ = try portal.createInfoRequest(toBob)
            }
            self.say("Acme asks about \(cast.reviews[3]), also Bob's: \(notContactable.code.name) (\(notContactable.details.first?.reason ?? ""))")
            var afterDecline = notGenuine
            afterDecline.reviewId = cast.reviews[1]
            let declinedTry = try self.call("FindReviewer/CreateReport") { () throws(RPCError) in try portal.createReport(afterDecline) }.report ?? Report()
            self.say("the declined request counts as a try: a not-genuine report on \(cast.reviews[1]) is accepted (\(declinedTry.id))")

            // 13. Retention.
            let retainedUntil = opened.replyRetainedUntil
            let now = try self.call("Admin/GetClock") { () throws(RPCError) in try admin.getClock(GetClockRequest()) }.now
            self.begin("The retention period of Ann's answer ends on \(self.day(retainedUntil)): her details are erased")
            if retainedUntil > now { _ = try self.advance(admin, seconds: retainedUntil - now) }
            let kept = try self.request(
                try self.call("FindReviewer/GetInfoRequest") { () throws(RPCError) in
                    try portal.getInfoRequest(GetInfoRequestRequest(businessId: cast.business, requestId: annRequest.id))
                }.request)
            try self.check(kept.reply == nil && kept.replyErasedAt == retainedUntil, "expected Ann's reply details erased at \(retainedUntil)")
            self.say("details erased at \(self.day(kept.replyErasedAt)); Acme's view says: \(kept.notice)")
            if let last = kept.timeline.last { self.say("timeline \(self.day(last.at)): \(Format.name(last.kind))") }

            self.console.print("\nDone: \(self.step) steps, \(self.emailCount) emails written to \(self.outbox).")
            return ExitStatus.success
        }

        // MARK: helpers

        func begin(_ title: String) {
            self.step += 1
            self.console.print("\n\(self.step). \(title)")
        }

        func say(_ line: String) { self.console.print("   " + line) }

        /// `day 3 (2026-05-04 09:00:00 UTC)`.
        func day(_ time: Int64) -> String {
            let seconds = time - self.t0
            let days = Double(seconds) / 86_400
            let label = seconds % 86_400 == 0 ? "day \(seconds / 86_400)" : String(format: "day %.1f", days)
            return "\(label) (\(Format.time(time)))"
        }

        func call<Result>(_ method: String, _ body: () throws(RPCError) -> Result) throws(CLIError) -> Result {
            do {
                return try body()
            } catch {
                throw ErrorAdvice.cliError(error, method: method, settings: self.invocation.settings)
            }
        }

        /// Runs a call the story expects to be refused; its status is the point of the step.
        func expectFailure(_ method: String, _ body: () throws(RPCError) -> Void) throws(CLIError) -> RPCError {
            do {
                try body()
            } catch {
                return error
            }
            throw .failure("\(method) succeeded, but the rules should have refused it")
        }

        func request(_ request: InfoRequest?) throws(CLIError) -> InfoRequest {
            guard let request else { throw .failure("the server answered without the request") }
            return request
        }

        func check(_ condition: Bool, _ message: String) throws(CLIError) {
            if !condition { throw .failure("the story went wrong: \(message)") }
        }

        func advance(_ admin: FindReviewerClient, seconds: Int64) throws(CLIError) -> ClockResponse {
            try self.call("Admin/AdvanceClock") { () throws(RPCError) in try admin.advanceClock(AdvanceClockRequest(seconds: seconds)) }
        }

        /// Waits (bounded) for `expected` new emails of the story and prints them; the server's
        /// delivery thread writes them just after the call that made them.
        @discardableResult
        func emails(expected: Int) throws(CLIError) -> [OutboxEmail] {
            var ours: [OutboxEmail] = []
            let deadline = Date().addingTimeInterval(10)
            repeat {
                let fresh = OutboxReader.fileNames(in: self.outbox).filter { !self.seenEmails.contains($0) }
                for email in OutboxReader.read(directory: self.outbox, only: fresh) {
                    self.seenEmails.insert(email.file)
                    if self.recipients.contains(where: { email.to.contains($0) }) { ours.append(email) }
                }
                if ours.count >= expected { break }
                usleep(20_000)
            } while Date() < deadline
            for email in ours { self.say("email \(email.entryId) to \(email.to): \"\(email.subject)\"") }
            self.emailCount += ours.count
            if ours.count < expected {
                self.say("(expected \(expected) email(s), found \(ours.count) in \(self.outbox): does the server use --smtp?)")
            }
            return ours
        }
    }
}
