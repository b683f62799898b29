import FindReviewerTestSupport
import Foundation
import Messages
import RPC
import Testing

/// The protos: ids are 1..64 characters of [A-Za-z0-9._:-]; type and service names at most 256
/// bytes. A lookup with an id of another shape is INVALID_ARGUMENT naming the field, not NOT_FOUND.
@Suite("Ids of the wrong shape on every method that takes one, end to end", .serialized)
struct IdShapeTests {
    /// Every id field of every request: string fields named `id` or `…_id`.
    static func idFields(_ comments: ProtoDocument.Comments) -> [(method: String, json: String, path: String)] {
        RequestSamples.all.flatMap { sample in
            let input = ProtoSchema.method(fullName: sample.method)!.inputType
            return RequestSamples.stringFields(of: input, comments: comments)
                .filter { $0.protoName == "id" || $0.protoName.hasSuffix("_id") }
                .map { (sample.method, sample.json, $0.path) }
        }
    }

    @Test("\"no such/id\", a 65-character id, non-ASCII or a space: INVALID_ARGUMENT naming the field; 64 characters pass")
    func wrongShapes() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let admin = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let fields = Self.idFields(try ProtoDocument.comments())
        // Every method with a business, review, request or reviewer id is here.
        #expect(Set(fields.map(\.method)).count == 26, "\(Set(fields.map(\.method)).sorted())")
        for (method, json, path) in fields {
            for bad in ["no such/id", String(repeating: "a", count: 65), "acmé", " acme"] {
                let bytes = try RequestSamples.wireBytes(method, try RequestSamples.json(json, setting: path, to: bad))
                let error = RequestSamples.outcome(admin, method, bytes)
                #expect(error?.code == .invalidArgument, "\(method) \(path)=\(bad): \(String(describing: error))")
                #expect(error?.details.first?.field == path, "\(method) \(path)=\(bad): \(String(describing: error))")
            }
            // 64 characters are answered like any other well-formed id.
            let longest = try RequestSamples.wireBytes(method, try RequestSamples.json(json, setting: path, to: String(repeating: "a", count: 64)))
            let short = try RequestSamples.wireBytes(method, try RequestSamples.json(json, setting: path, to: "b"))
            let (got, expected) = (RequestSamples.outcome(admin, method, longest), RequestSamples.outcome(admin, method, short))
            #expect(got?.code == expected?.code && got?.details.first?.field == expected?.details.first?.field, "\(method) \(path) of 64 characters: \(String(describing: got))")
        }
        #expect(try admin.call("findreviewer.v1.Health/Check", HealthCheckRequest(), as: HealthCheckResponse.self).status == .serving)
    }

    @Test("DescribeType: a 257-byte or malformed type name is INVALID_ARGUMENT; a well-formed unknown one NOT_FOUND")
    func typeNames() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let admin = try RPCClient(address: "127.0.0.1:\(server.port)", key: server.key(role: "admin"))
        let method = "findreviewer.v1.ServerInfoService/DescribeType"
        let long = "findreviewer.v1." + String(repeating: "X", count: 257 - "findreviewer.v1.".count)
        for bad in [long, "no such/id", ""] {
            let error = #expect(throws: RPCError.self, "\(bad)") {
                _ = try admin.call(method, DescribeTypeRequest(typeName: bad), as: DescribeTypeResponse.self)
            }
            #expect(error?.code == .invalidArgument, "\(bad): \(String(describing: error))")
            #expect(error?.details.first?.field == "typeName", "\(bad): \(String(describing: error))")
        }
        let unknown = "findreviewer.v1." + String(repeating: "X", count: 256 - "findreviewer.v1.".count)
        let error = #expect(throws: RPCError.self) { _ = try admin.call(method, DescribeTypeRequest(typeName: unknown), as: DescribeTypeResponse.self) }
        #expect(error?.code == .notFound)
        #expect(try admin.call(method, DescribeTypeRequest(typeName: "findreviewer.v1.InfoRequest"), as: DescribeTypeResponse.self).kind == "message")
    }

    @Test("Health/Check: a service name over 256 bytes is INVALID_ARGUMENT; an unknown well-formed one SERVICE_UNKNOWN")
    func serviceNames() throws {
        let server = try ServerProcess()
        defer { server.stop(); server.cleanUp() }
        let anonymous = try RPCClient(address: "127.0.0.1:\(server.port)")
        let method = "findreviewer.v1.Health/Check"
        let error = #expect(throws: RPCError.self) {
            _ = try anonymous.call(method, HealthCheckRequest(service: String(repeating: "a", count: 257)), as: HealthCheckResponse.self)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.first?.field == "service")
        let unknown = try anonymous.call(method, HealthCheckRequest(service: String(repeating: "a", count: 256)), as: HealthCheckResponse.self)
        #expect(unknown.status == .serviceUnknown)
    }
}
