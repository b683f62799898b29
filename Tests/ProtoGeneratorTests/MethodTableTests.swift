import Foundation
import Messages
import ProtoGenerator
import Testing

/// protoc's descriptor set of the .proto files in `directories` (imports included).
func descriptorSet(of files: [String], in directories: [String]) throws -> DescriptorSet {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("protogen-\(UUID().uuidString).pb").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["protoc"] + directories.map { "-I\($0)" } + ["-I/usr/include", "--include_imports", "--descriptor_set_out=\(output)"] + files
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    process.waitUntilExit()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0 else { throw GeneratorError(problems: ["protoc failed: \(message)"]) }
    return try DescriptorSet(contentsOf: output)
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let protosDirectory = packageRoot.appendingPathComponent("Protos").path

/// Every .proto under Protos/, relative to it, sorted (what scripts/gen-swift-protos.sh passes).
func allProtos() throws -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: protosDirectory)!
    return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".proto") }.sorted()
}

@Suite("protogen: the method table from the method options")
struct MethodTableTests {
    @Test("the committed Swift files are what protogen writes now (run `make protos` if this fails)")
    func generatedSwiftIsFresh() throws {
        let generated = packageRoot.appendingPathComponent("Sources/Runtime/Messages/Generated")
        let set = try descriptorSet(of: allProtos(), in: [protosDirectory])
        let messages = try String(contentsOf: generated.appendingPathComponent("Messages.generated.swift"), encoding: .utf8)
        #expect(messages == (try SwiftSourceGenerator.render(set)))
        let methods = try String(contentsOf: generated.appendingPathComponent("Methods.generated.swift"), encoding: .utf8)
        #expect(methods == (try MethodTableGenerator.render(set)))
        let client = try String(
            contentsOf: packageRoot.appendingPathComponent("Sources/Runtime/FindReviewerClient/Generated/FindReviewerClient.generated.swift"), encoding: .utf8)
        #expect(client == (try ClientGenerator.render(set)))
        let handlers = try String(
            contentsOf: packageRoot.appendingPathComponent("Sources/Runtime/FindReviewerServer/Generated/ServiceHandlers.generated.swift"), encoding: .utf8)
        #expect(handlers == (try HandlersGenerator.render(set)))
        // One blocking and one async method per rpc, every one through the chokepoint.
        #expect(client.components(separatedBy: "self.call(\"").count - 1 == 2 * ProtoMethods.all.count)
    }

    @Test("the table has every rpc of the protobuf-c descriptors, with the same types, and the options as written")
    func tableMatchesDescriptors() throws {
        let compiled = ProtoSchema.services.flatMap { service in service.methods.map { ($0.fullName, $0.inputType, $0.outputType) } }
        let table = ProtoMethods.all.map { ($0.fullName, $0.inputType, $0.outputType) }
        #expect(compiled.map(\.0) == table.map(\.0))
        #expect(compiled.map(\.1) == table.map(\.1))
        #expect(compiled.map(\.2) == table.map(\.2))
        let create = try #require(ProtoMethods.byFullName["findreviewer.v1.FindReviewer/CreateInfoRequest"])
        #expect(create.roles == ["admin", "business-portal"])
        #expect(!create.idempotent && !create.noKey)
        #expect(ProtoMethods.byFullName["findreviewer.v1.Admin/TriggerSnapshot"]?.idempotent == true)
        #expect(ProtoMethods.all.filter(\.noKey).map(\.fullName) == ["findreviewer.v1.Health/Check"])
        #expect(ProtoMethods.byFullName["findreviewer.v1.Health/Check"]?.roles == [])
    }

    /// A service in a file of its own under a temporary directory, importing options.proto.
    func table(_ body: String) throws -> [ProtoMethod] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("protogen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("findreviewer/v9"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = """
            syntax = "proto3";
            package findreviewer.v9;
            import "findreviewer/v1/options.proto";
            message Pong {}
            service Pinger {
            \(body)
            }
            """
        try text.write(to: directory.appendingPathComponent("findreviewer/v9/ping.proto"), atomically: true, encoding: .utf8)
        let set = try descriptorSet(of: ["findreviewer/v9/ping.proto"], in: [directory.path, protosDirectory])
        return try MethodTableGenerator.methods(set).filter { $0.service == "findreviewer.v9.Pinger" }
    }

    func problems(_ body: String) -> [String] {
        do {
            _ = try self.table(body)
            return []
        } catch let error as GeneratorError {
            return error.problems
        } catch {
            return ["\(error)"]
        }
    }

    @Test("a service in a new file is picked up, with its roles sorted")
    func newFile() throws {
        let methods = try self.table("""
              rpc Ping(Pong) returns (Pong) {
                option (findreviewer.v1.roles) = "reviews-ingest";
                option (findreviewer.v1.roles) = "admin";
                option (findreviewer.v1.idempotent) = false;
              }
            """)
        #expect(
            methods == [
                ProtoMethod(
                    service: "findreviewer.v9.Pinger", name: "Ping", inputType: "findreviewer.v9.Pong", outputType: "findreviewer.v9.Pong",
                    roles: ["admin", "reviews-ingest"], idempotent: false, noKey: false)
            ])
    }

    @Test("an rpc without (idempotent), without roles, or with roles and no_key is refused, naming it")
    func incompleteOptionsAreRefused() {
        #expect(
            self.problems("rpc Ping(Pong) returns (Pong) { option (findreviewer.v1.roles) = \"admin\"; }")
                == ["findreviewer/v9/ping.proto: findreviewer.v9.Pinger/Ping: no (findreviewer.v1.idempotent) option (set it to true or false)"])
        #expect(
            self.problems("rpc Ping(Pong) returns (Pong) { option (findreviewer.v1.idempotent) = true; }")
                == ["findreviewer/v9/ping.proto: findreviewer.v9.Pinger/Ping: no (findreviewer.v1.roles) option (or (findreviewer.v1.no_key) = true)"])
        #expect(self.problems("rpc Ping(Pong) returns (Pong);").count == 2)
        #expect(
            self.problems(
                "rpc Ping(Pong) returns (Pong) { option (findreviewer.v1.no_key) = true; option (findreviewer.v1.roles) = \"admin\"; option (findreviewer.v1.idempotent) = true; }"
            ) == ["findreviewer/v9/ping.proto: findreviewer.v9.Pinger/Ping: (findreviewer.v1.no_key) with (findreviewer.v1.roles); a method is one or the other"])
    }
}
