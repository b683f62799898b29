import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// DESIGN.md §2 "Inputs": every text is valid UTF-8 without control characters (newlines in
/// multi-line fields); a violation is INVALID_ARGUMENT naming the field, and nothing is stored.
/// Every string field of every method's request, found from the descriptors, gets an embedded
/// NUL and each C0 control (and DEL and two C1 controls) on the wire, against the real server.
@Suite("Control characters in every string field of every method, end to end", .serialized)
struct TextInputTests {
    /// U+0001…U+001F, DEL, and the C1 controls NEL and APC.
    static let controls: [Unicode.Scalar] = (0x01...0x1F).map { Unicode.Scalar($0)! } + ["\u{7F}", "\u{85}", "\u{9F}"]
    /// What a multi-line field allows.
    static let lineBreaks: Set<Unicode.Scalar> = ["\n", "\r", "\t"]

    /// Bytes in journal records (segment headers of 8 bytes not counted).
    static func journalRecordBytes(_ server: ServerProcess) -> Int {
        let directory = server.dataDirectory.appendingPathComponent("journal")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".log") }.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            return total + max(0, size - 8)
        }
    }

    static func expectRefused(_ error: RPCError?, _ path: String, _ what: String) {
        #expect(error?.code == .invalidArgument, "\(what): \(String(describing: error))")
        #expect(error?.details.first?.field == path, "\(what): \(String(describing: error))")
        #expect(error?.details.first?.reason == "INVALID_FIELD", "\(what): \(String(describing: error))")
    }

    @Test("every method whose request holds text has a sample that sets every string field")
    func samplesCoverEveryStringField() throws {
        let comments = try ProtoDocument.comments()
        let samples = Dictionary(uniqueKeysWithValues: RequestSamples.all.map { ($0.method, $0.json) })
        for service in ProtoSchema.services {
            for method in service.methods {
                let fields = RequestSamples.stringFields(of: method.inputType, comments: comments)
                guard !fields.isEmpty else { continue }
                let json = try #require(samples[method.fullName], "no sample request for \(method.fullName)")
                for field in fields {
                    #expect(try RequestSamples.value(in: json, at: field.path)?.isEmpty == false, "\(method.fullName): \(field.path)")
                }
            }
        }
    }

    @Test("NUL and every control character in every string field: INVALID_ARGUMENT naming it; nothing stored; the server keeps serving")
    func controlCharacters() throws {
        let server = try ServerProcess(arguments: ["--test-clock"])
        defer { server.stop(); server.cleanUp() }
        let admin = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let comments = try ProtoDocument.comments()
        let journalBefore = Self.journalRecordBytes(server)
        var checked = 0
        for (method, json) in RequestSamples.all {
            let input = try #require(ProtoSchema.method(fullName: method)).inputType
            for field in RequestSamples.stringFields(of: input, comments: comments) {
                let nul = try RequestSamples.wireBytesWithNUL(method, json, at: field.path)
                Self.expectRefused(RequestSamples.outcome(admin, method, nul), field.path, "\(method) \(field.path) with NUL")
                checked += 1
                // What the server ignores it does not check; its NUL is refused above, in decoding.
                if field.outputOnly { continue }
                let original = try #require(try RequestSamples.value(in: json, at: field.path))
                for control in Self.controls {
                    let value = RequestSamples.inserting(String(control), into: original)
                    let bytes = try RequestSamples.wireBytes(method, try RequestSamples.json(json, setting: field.path, to: value))
                    let error = RequestSamples.outcome(admin, method, bytes)
                    let what = "\(method) \(field.path) with U+\(String(control.value, radix: 16, uppercase: true))"
                    if field.multiLine && Self.lineBreaks.contains(control) {
                        #expect(error?.details.first?.field != field.path, "\(what): \(String(describing: error))")
                    } else {
                        Self.expectRefused(error, field.path, what)
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 2_000)
        // Nothing partial was stored: no journal record, no business.
        #expect(Self.journalRecordBytes(server) == journalBefore)
        let businesses = try admin.call(
            "findreviewer.v1.FindReviewer/ListBusinesses", ListBusinessesRequest(), as: ListBusinessesResponse.self)
        #expect(businesses.businesses.isEmpty)
        #expect(try admin.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
    }

    @Test("the samples themselves pass every field check, in order on one server")
    func samplesAreValid() throws {
        let server = try ServerProcess(arguments: ["--test-clock"])
        defer { server.stop(); server.cleanUp() }
        let admin = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        for (method, sample) in RequestSamples.all {
            var json = sample
            // A block needs a live link (the sample request was withdrawn), so that the list after
            // it has a page token to name: a fresh request on a second review, and its email's token.
            if method.hasSuffix("/BlockBusiness") {
                let before = StoryTests.emails(server).count
                let review = Review(id: "r2", businessId: "acme", reviewerId: "ann", rating: 1, source: .organic)
                _ = try admin.call(
                    "findreviewer.v1.FindReviewer/PublishReview", PublishReviewRequest(review: review), as: PublishReviewResponse.self)
                _ = try admin.call(
                    "findreviewer.v1.FindReviewer/CreateInfoRequest",
                    CreateInfoRequestRequest(businessId: "acme", reviewId: "r2", message: "Hi", requestedFields: [.email]),
                    as: CreateInfoRequestResponse.self)
                let emails = StoryTests.waitForEmails(server, count: before + 1)
                let newest = try #require(emails.keys.sorted().last.flatMap { emails[$0] })
                json = json.replacingOccurrences(of: RequestSamples.token, with: try #require(StoryTests.token(in: newest)))
            }
            let error = RequestSamples.outcome(admin, method, try RequestSamples.wireBytes(method, json))
            #expect(error?.code != .invalidArgument, "\(method): \(String(describing: error))")
        }
    }
}
