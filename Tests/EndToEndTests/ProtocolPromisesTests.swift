import FindReviewerClient
import FindReviewerTestSupport
import Foundation
import Glibc
import Messages
import RPC
import Testing

/// What Protos/PROTOCOL.md §4.1, §4.2, §5.1–5.3 and the README promise a client author, against
/// the real binary. Where the document has a table, the test reads the table.
@Suite("PROTOCOL.md's promises to a client author, end to end", .serialized)
struct ProtocolPromisesTests {
    static let t0: Int64 = 1_790_000_000

    /// A server with a business (introduction acknowledged), a reviewer and clients of each role.
    struct World {
        let server: ServerProcess
        let admin: FindReviewerClient
        let site: FindReviewerClient
        var tokens: Set<String> = []

        init(_ arguments: [String] = ["--test-clock", "--test-clock-start", String(ProtocolPromisesTests.t0)]) throws {
            self.server = try ServerProcess(arguments: arguments)
            let address = "127.0.0.1:\(self.server.port)"
            self.admin = try FindReviewerClient(address: address, key: self.server.key(role: "admin"))
            self.site = try FindReviewerClient(address: address, key: self.server.key(role: "consumer-site"))
            _ = try self.admin.upsertBusiness(
                UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "team@acme.example")))
            _ = try self.admin.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme"))
            _ = try self.admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")))
        }

        func publish(_ id: String, _ source: ReviewSource = .organic) throws {
            _ = try self.admin.publishReview(
                PublishReviewRequest(review: Review(id: id, businessId: "acme", reviewerId: "ann", rating: 1, title: "Review \(id)", source: source)))
        }

        /// Creates a request on a fresh review; returns its id and the token from the reviewer's email.
        mutating func request(on review: String, fields: [RequestedField] = [.fullName]) throws -> (id: String, token: String) {
            try self.publish(review)
            let created = try self.admin.createInfoRequest(
                CreateInfoRequestRequest(businessId: "acme", reviewId: review, message: "Hello", requestedFields: fields))
            let id = try #require(created.request?.id)
            let end = Date().addingTimeInterval(10)
            while Date() < end {
                let all = Set(StoryTests.emails(self.server).values.compactMap(StoryTests.token(in:)))
                if let new = all.subtracting(self.tokens).first {
                    self.tokens.insert(new)
                    return (id, new)
                }
                usleep(20_000)  // polling for the delivery thread's file, bounded
            }
            throw SampleError(message: "no email with a new token for \(id)")
        }
    }

    /// `OK PENDING`, `NOT_FOUND`, `FAILED_PRECONDITION WRONG_STATUS` → the code and the status
    /// or reason.
    static func parseCell(_ cell: String) -> (code: StatusCode, word: String?) {
        let words = cell.split(separator: " ").map(String.init)
        let code: StatusCode = switch words[0] {
        case "OK": .ok
        case "NOT_FOUND": .notFound
        case "FAILED_PRECONDITION": .failedPrecondition
        case "INVALID_ARGUMENT": .invalidArgument
        default: StatusCode(rawValue: -1)
        }
        return (code, words.count > 1 ? words[1] : nil)
    }

    @Test("§5.1: each call by the reviewer's token answers as its table says, for every state of the request")
    func reviewerLinkByState() throws {
        let rows = ProtoDocument.table(in: try ProtoDocument.text("Protos/PROTOCOL.md"), firstHeader: "Request state")
        #expect(rows.map { $0[0] } == ["pending", "answered", "declined", "expired", "withdrawn", "unknown"])
        var world = try World()
        defer { world.server.stop(); world.server.cleanUp() }
        // BlockBusiness last in each row: once the pending row's block is in force, later rows hold no pending request.
        let calls = ["ViewRequestByToken", "ReplyToRequest", "DeclineRequest", "BlockBusiness"]
        // A fresh request per cell: the expired ones first, then five days pass, then the rest.
        var tokens: [String: String] = [:]
        for call in calls { tokens["expired/\(call)"] = try world.request(on: "expired-\(call)").token }
        _ = try world.admin.advanceClock(AdvanceClockRequest(seconds: 120 * 3_600))
        for state in ["pending", "answered", "declined", "withdrawn"] {
            for call in calls {
                let (id, token) = try world.request(on: "\(state)-\(call)")
                switch state {
                case "answered": _ = try world.site.replyToRequest(ReplyToRequestRequest(token: token, fullName: "Ann"))
                case "declined": _ = try world.site.declineRequest(DeclineRequestRequest(token: token))
                case "withdrawn": _ = try world.admin.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: "acme", requestId: id))
                default: break
                }
                tokens["\(state)/\(call)"] = token
            }
        }
        for call in calls { tokens["unknown/\(call)"] = String(repeating: "f", count: 48) }
        for row in rows {
            for (index, call) in calls.enumerated() {
                let (code, word) = Self.parseCell(row[index + 1])
                let token = try #require(tokens["\(row[0])/\(call)"])
                var status: Messages.RequestStatus?
                var failure: RPCError?
                do {
                    switch call {
                    case "ViewRequestByToken": status = try world.site.viewRequestByToken(ViewRequestByTokenRequest(token: token)).request?.status
                    case "ReplyToRequest": status = try world.site.replyToRequest(ReplyToRequestRequest(token: token, fullName: "Ann")).request?.status
                    case "BlockBusiness": status = try world.site.blockBusiness(BlockBusinessRequest(token: token)).request?.status
                    default: status = try world.site.declineRequest(DeclineRequestRequest(token: token)).request?.status
                    }
                } catch {
                    failure = error
                }
                let error = failure
                let what = "\(row[0]) / \(call): \(String(describing: error)) \(String(describing: status))"
                #expect((error?.code ?? .ok) == code, "\(what)")
                if code == .ok {
                    #expect(status.map { "\($0)".uppercased() } == word, "\(what)")
                } else if code == .failedPrecondition {
                    #expect(error?.details.first?.reason == word, "\(what)")
                }
            }
        }
    }

    @Test("§4.1: of several faults, the documented check wins")
    func orderOfChecks() throws {
        let server = try KnownKeys.server(arguments: ["--test-clock"])
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let admin = try RPCClient(address: address, key: KnownKeys.admin)
        let site = try RPCClient(address: address, key: KnownKeys.site)
        let portal = try RPCClient(address: address, key: KnownKeys.acmePortal)
        let anonymous = try RPCClient(address: address)
        let typed = try FindReviewerClient(address: address, key: KnownKeys.admin)
        _ = try typed.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")))
        _ = try typed.upsertBusiness(UpsertBusinessRequest(business: Business(id: "other", displayName: "Other", notificationEmail: "o@other.example")))
        _ = try typed.acknowledgeIntroduction(AcknowledgeIntroductionRequest(businessId: "acme"))
        _ = try typed.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")))
        _ = try typed.publishReview(PublishReviewRequest(review: Review(id: "r-platform", businessId: "acme", reviewerId: "ann", rating: 1, source: .platformInvitation)))
        _ = try typed.publishReview(PublishReviewRequest(review: Review(id: "o1", businessId: "other", reviewerId: "ann", rating: 1, source: .organic)))
        let otherRequest = try #require(
            try typed.createInfoRequest(CreateInfoRequestRequest(businessId: "other", reviewId: "o1", message: "Hi", requestedFields: [.email], acknowledgeIntro: true)).request?.id)

        let malformed: [UInt8] = [0x0A, 0x05, 0x61]
        func call(_ client: RPCClient, _ method: String, _ json: String?) throws -> RPCError? {
            let full = method.contains("/") ? method : "findreviewer.v1.FindReviewer/\(method)"
            let bytes = try json.map { try RequestSamples.wireBytes(full, $0) } ?? malformed
            return RequestSamples.outcome(client, full, bytes)
        }
        // (what wins, over what; client, method, request (nil: malformed bytes); status; reason or field)
        let cases: [(String, RPCClient, String, String?, StatusCode, String?)] = [
            ("method over key", anonymous, "findreviewer.v1.Nope/Call", nil, .unimplemented, nil),
            ("key over decode", anonymous, "GetBusiness", nil, .unauthenticated, nil),
            ("role over decode", site, "UpsertBusiness", nil, .permissionDenied, nil),
            ("decode over validation", admin, "CreateInfoRequest", nil, .invalidArgument, "MALFORMED_REQUEST"),
            ("business of a limited key over validation", portal, "GetReview", #"{"businessId":"other","reviewId":"no such/id"}"#, .permissionDenied, nil),
            ("business of a limited key over lookup", portal, "GetBusiness", #"{"businessId":"nowhere"}"#, .permissionDenied, nil),
            ("validation over lookup", admin, "SetPublicReply", #"{"businessId":"nowhere","reviewId":"r1","text":" "}"#, .invalidArgument, "text"),
            ("validation over lookup (id shape)", admin, "GetPublicReview", #"{"reviewId":"no such/id"}"#, .invalidArgument, "reviewId"),
            (
                "validation over rules", admin, "CreateInfoRequest",
                #"{"businessId":"acme","reviewId":"r-platform","message":"","requestedFields":["REQUESTED_FIELD_EMAIL"]}"#, .invalidArgument, "message"
            ),
            ("validation over rules (reply)", site, "ReplyToRequest", #"{"token":"\#(RequestSamples.token)","email":"not an email"}"#, .invalidArgument, "email"),
            ("lookup over rules", portal, "SendManualReminder", #"{"businessId":"acme","requestId":"\#(otherRequest)"}"#, .notFound, nil),
            ("rules last", admin, "CreateInfoRequest", #"{"businessId":"acme","reviewId":"r-platform","message":"Hi","requestedFields":["REQUESTED_FIELD_EMAIL"]}"#, .failedPrecondition, "PLATFORM_INVITED_REVIEW"),
        ]
        for (what, client, method, json, code, detail) in cases {
            let error = try call(client, method, json)
            #expect(error?.code == code, "\(what): \(String(describing: error))")
            if let detail {
                let first = error?.details.first
                #expect(first?.reason == detail || first?.field == detail, "\(what): \(String(describing: error))")
            }
        }
    }

    @Test("§4.2: every reason the code can send is in the table, and the table names no other")
    func reasonTableIsComplete() throws {
        let table = ProtoDocument.table(in: try ProtoDocument.text("Protos/PROTOCOL.md"), firstHeader: "Reason")
        let documented = Set(table.map { $0[0] })
        var inCode = Set<String>()
        let literal = try Regex(#""([A-Z][A-Z_]{3,})""#)
        let sources = ["Sources/Runtime/FindReviewerServer", "Sources/Runtime/RPC", "Sources/Runtime/FindReviewerDomain"]
        for directory in sources {
            let url = ProtoDocument.root.appendingPathComponent(directory)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".swift") {
                let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    // Reasons are written as `reason: "X"`, chosen into `reason`, or are DomainError.Reason's raw values.
                    let isReason = line.contains("reason") || (name == "DomainError.swift" && line.contains("case ") && line.contains(" = \""))
                    guard isReason else { continue }
                    for match in line.matches(of: literal) { inCode.insert(String(match.output[1].substring ?? "")) }
                }
            }
        }
        #expect(inCode.count >= 11, "\(inCode.sorted())")
        #expect(documented == inCode, "documented only: \(documented.subtracting(inCode).sorted()); in code only: \(inCode.subtracting(documented).sorted())")
    }

    @Test("§4.2: every FAILED_PRECONDITION reason comes from each method the table lists")
    func reasonsByMethod() throws {
        let table = ProtoDocument.table(in: try ProtoDocument.text("Protos/PROTOCOL.md"), firstHeader: "Reason")
        var documented: Set<String> = []
        // A reason of "every method …" is held by its own suite (WRONG_SHARD: ShardingEndToEndTests;
        // BUSINESS_MOVING: MoveBusinessEndToEndTests).
        for row in table where row[1] == "9" && !row[2].hasPrefix("every method") {
            for method in row[2].split(separator: ",") { documented.insert("\(method.trimmingCharacters(in: .whitespaces)) \(row[0])") }
        }
        var world = try World()
        defer { world.server.stop(); world.server.cleanUp() }
        let admin = world.admin
        var seen: Set<String> = []
        func expectReason(_ method: String, _ body: () throws -> Void) {
            do {
                try body()
                Issue.record("\(method) succeeded")
            } catch {
                let reason = (error as? RPCError)?.details.first?.reason ?? "\(error)"
                seen.insert("\(method) \(reason)")
            }
        }
        try world.publish("r-platform", .platformInvitation)
        _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: "new", displayName: "New", notificationEmail: "n@new.example")))
        _ = try admin.publishReview(PublishReviewRequest(review: Review(id: "r-new", businessId: "new", reviewerId: "ann", rating: 1, source: .organic)))
        expectReason("CreateInfoRequest") {
            _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "new", reviewId: "r-new", message: "Hi", requestedFields: [.email]))
        }
        expectReason("CreateInfoRequest") {
            _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r-platform", message: "Hi", requestedFields: [.email]))
        }
        // A pending request on r1: a second create, a manual reminder, an opened reply and a report all refused.
        let pending = try world.request(on: "r1")
        expectReason("CreateInfoRequest") {
            _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r1", message: "Again", requestedFields: [.email]))
        }
        expectReason("SendManualReminder") { _ = try admin.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: pending.id)) }
        expectReason("OpenReply") { _ = try admin.openReply(OpenReplyRequest(businessId: "acme", requestId: pending.id)) }
        expectReason("CreateReport") {
            _ = try admin.createReport(
                CreateReportRequest(businessId: "acme", reviewId: "r1", reason: .notGenuineExperience, explanation: "Not a guest", acknowledgeGuidelines: true))
        }
        // Withdrawn: withdrawing again is WRONG_STATUS.
        _ = try admin.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: "acme", requestId: pending.id))
        expectReason("WithdrawInfoRequest") { _ = try admin.withdrawInfoRequest(WithdrawInfoRequestRequest(businessId: "acme", requestId: pending.id)) }
        // Expired after five days; reminded once; reopened, so a newer request on its review blocks the next reminder.
        let first = try world.request(on: "r2")
        _ = try admin.advanceClock(AdvanceClockRequest(seconds: 120 * 3_600))
        expectReason("ReplyToRequest") { _ = try world.site.replyToRequest(ReplyToRequestRequest(token: first.token, fullName: "Ann")) }
        expectReason("DeclineRequest") { _ = try world.site.declineRequest(DeclineRequestRequest(token: first.token)) }
        _ = try admin.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: first.id))
        _ = try admin.advanceClock(AdvanceClockRequest(seconds: 120 * 3_600))
        expectReason("SendManualReminder") { _ = try admin.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: first.id)) }
        let second = try world.request(on: "r3")
        _ = try admin.advanceClock(AdvanceClockRequest(seconds: 120 * 3_600))
        _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r3", message: "Newer", requestedFields: [.email]))
        expectReason("SendManualReminder") { _ = try admin.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: second.id)) }
        // A block (from the link of an expired request): a create and a manual reminder refused.
        let expiring = try world.request(on: "r6")
        _ = try admin.advanceClock(AdvanceClockRequest(seconds: 120 * 3_600))
        _ = try world.site.blockBusiness(BlockBusinessRequest(token: expiring.token))
        try world.publish("r7")
        expectReason("CreateInfoRequest") {
            _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r7", message: "Hi", requestedFields: [.email]))
        }
        expectReason("SendManualReminder") { _ = try admin.sendManualReminder(SendManualReminderRequest(businessId: "acme", requestId: expiring.id)) }
        // An erased reviewer cannot come back, nor get a review.
        _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "bob", displayName: "Bob", email: "bob@mail.example")))
        _ = try admin.eraseReviewer(EraseReviewerRequest(reviewerId: "bob"))
        expectReason("UpsertReviewer") {
            _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "bob", displayName: "Bob", email: "bob@mail.example")))
        }
        expectReason("PublishReview") {
            _ = try admin.publishReview(PublishReviewRequest(review: Review(id: "r-bob", businessId: "acme", reviewerId: "bob", rating: 1, source: .organic)))
        }
        // Forgetting a business that was not exported (moving).
        expectReason("Admin/ForgetBusiness") { _ = try admin.forgetBusiness(ForgetBusinessRequest(businessId: "acme")) }
        // The clock of a server without --test-clock.
        let plain = try World([])
        defer { plain.server.stop(); plain.server.cleanUp() }
        expectReason("Admin/SetClock") { _ = try plain.admin.setClock(SetClockRequest(now: Self.t0)) }
        expectReason("Admin/AdvanceClock") { _ = try plain.admin.advanceClock(AdvanceClockRequest(seconds: 1)) }
        // REPLY_WINDOW_CLOSED lasts until the timer applies the expiry (under a second; the test
        // clock applies it at once): LifecycleTests holds it in the domain.
        let racy: Set<String> = ["ReplyToRequest REPLY_WINDOW_CLOSED", "DeclineRequest REPLY_WINDOW_CLOSED"]
        #expect(seen == documented.subtracting(racy), "seen only: \(seen.subtracting(documented).sorted()); documented only: \(documented.subtracting(seen).sorted())")
    }

    @Test("§5.2: ListBusinesses ascending by id; requested fields sorted; counts hold every status; duplicate statuses count once")
    func listShapes() throws {
        let world = try World()
        defer { world.server.stop(); world.server.cleanUp() }
        let admin = world.admin
        for id in ["zeta", "B-1", "mid", "a"] {
            _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: id, displayName: id, notificationEmail: "x@\(id.lowercased()).example")))
        }
        let ids = try admin.listBusinesses(ListBusinessesRequest()).businesses.map(\.id)
        #expect(ids == ["B-1", "a", "acme", "mid", "zeta"])
        let paged = try admin.listBusinesses(ListBusinessesRequest(pageSize: 2))
        #expect(paged.businesses.map(\.id) == ["B-1", "a"])

        try world.publish("r1")
        let created = try admin.createInfoRequest(
            CreateInfoRequestRequest(businessId: "acme", reviewId: "r1", message: "Hi", requestedFields: [.phone, .email, .fullName]))
        #expect(created.request?.requestedFields == [.email, .fullName, .phone])
        let duplicate = #expect(throws: RPCError.self) {
            _ = try admin.createInfoRequest(CreateInfoRequestRequest(businessId: "acme", reviewId: "r1", message: "Hi", requestedFields: [.email, .email]))
        }
        #expect(duplicate?.details.first?.field == "requestedFields")

        let all = try admin.listInfoRequests(ListInfoRequestsRequest(businessId: "acme"))
        #expect(all.counts.map(\.status) == [.pending, .answered, .declined, .withdrawn, .expired])
        #expect(all.counts.map(\.count) == [1, 0, 0, 0, 0])
        let twice = try admin.listInfoRequests(ListInfoRequestsRequest(businessId: "acme", statuses: [.pending, .pending]))
        #expect(twice.totalMatching == 1)
        #expect(twice.requests.count == 1)
        let reviews = try admin.listReviews(ListReviewsRequest(businessId: "acme", statuses: [.pending, .pending, .pending]))
        #expect(reviews.reviews.map { $0.review?.id } == ["r1"])
    }

    @Test("§5.3: lengths are code points: 200 é pass, 201 do not; e + U+0301 counts two")
    func lengthsInCodePoints() throws {
        let world = try World()
        defer { world.server.stop(); world.server.cleanUp() }
        func upsert(_ name: String) -> RPCError? {
            do {
                _ = try world.admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: "b", displayName: name, notificationEmail: "b@b.example")))
                return nil
            } catch {
                return error
            }
        }
        #expect(upsert(String(repeating: "é", count: 200)) == nil)  // 400 bytes
        #expect(upsert(String(repeating: "é", count: 201))?.details.first?.field == "business.displayName")
        #expect(upsert(String(repeating: "e\u{301}", count: 100)) == nil)  // 200 code points, 100 characters on screen
        #expect(upsert(String(repeating: "e\u{301}", count: 101))?.details.first?.field == "business.displayName")
    }

    @Test("README: --port-file holds the port once it listens; the first line on standard output is \"listening on HOST:PORT\"")
    func portFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("findreviewer-port-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try ServerProcess(arguments: ["--port-file", path])
        defer { server.stop(); server.cleanUp() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(server.port)\n")
        #expect(server.output.split(separator: "\n").first == "listening on 127.0.0.1:\(server.port)")
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        let client = try RPCClient(address: "127.0.0.1:\(server.port)")
        #expect(try client.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
    }

    @Test("README keys file: a limited key is refused for any business outside its list; bad files stop the start with status 1")
    func keysFile() throws {
        let server = try KnownKeys.server()
        defer { server.stop(); server.cleanUp() }
        let address = "127.0.0.1:\(server.port)"
        let admin = try FindReviewerClient(address: address, key: KnownKeys.admin)
        let portal = try FindReviewerClient(address: address, key: KnownKeys.acmePortal)
        _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: "acme", displayName: "Acme", notificationEmail: "a@acme.example")))
        _ = try admin.upsertBusiness(UpsertBusinessRequest(business: Business(id: "other", displayName: "Other", notificationEmail: "o@other.example")))
        _ = try admin.upsertReviewer(UpsertReviewerRequest(reviewer: Reviewer(id: "ann", displayName: "Ann", email: "ann@mail.example")))
        _ = try admin.publishReview(PublishReviewRequest(review: Review(id: "o1", businessId: "other", reviewerId: "ann", rating: 3, title: "Other's", source: .organic)))
        for business in ["other", "nowhere"] {
            let error = #expect(throws: RPCError.self) { _ = try portal.listReviews(ListReviewsRequest(businessId: business)) }
            #expect(error?.code == .permissionDenied, "\(business)")
        }
        #expect(try portal.listReviews(ListReviewsRequest(businessId: "acme")).reviews.isEmpty)
        // A public page is not a business's data: the limited key reads any.
        #expect(try portal.getPublicReview(GetPublicReviewRequest(reviewId: "o1")).review?.title == "Other's")

        let bad = [
            #"{"keys":[{"name":"a","role":"admin","key":"frk_admin_000000000000000000","businesses":["acme"]}]}"#,
            #"{"keys":[{"name":"a","role":"admin","key":"short"}]}"#,
            #"{"keys":[{"name":"a","role":"operator","key":"frk_admin_000000000000000000"}]}"#,
            #"{"keys":[{"name":"a","role":"admin","key":"frk_admin_000000000000000000"},{"name":"b","role":"admin","key":"frk_admin_000000000000000000"}]}"#,
        ]
        for text in bad {
            let data = ServerProcess.makeDataDirectory()
            defer { try? FileManager.default.removeItem(at: data) }
            let file = data.appendingPathComponent("keys.json")
            try Data(text.utf8).write(to: file)
            let process = Process()
            process.executableURL = ServerProcess.executable("findreviewer-server")
            process.arguments = ["--listen", "127.0.0.1:0", "--data-dir", data.path]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1, "\(text)")
            #expect(message.contains(file.path), "\(text): \(message)")
        }
    }
}
