// `findreviewer-protogen messages DESCRIPTORS.pb` prints the generated Swift value types and
// the pure-Swift wire readers of the stored messages (Sources/Runtime/Messages/Generated/
// Messages.generated.swift, from the protobuf-c descriptors; the descriptor set names the oneofs);
// `findreviewer-protogen methods DESCRIPTORS.pb` prints the method table
// (Sources/Runtime/Messages/Generated/Methods.generated.swift) from a descriptor set made by
// `protoc --include_imports --descriptor_set_out`; `findreviewer-protogen client DESCRIPTORS.pb`
// the typed client's methods (Sources/Runtime/FindReviewerClient/Generated/FindReviewerClient.generated.swift).
// `findreviewer-protogen handlers DESCRIPTORS.pb` the server's per-service protocols
// (Sources/Runtime/FindReviewerServer/Generated/ServiceHandlers.generated.swift).
// scripts/gen-swift-protos.sh runs them all.
import Foundation
import ProtoGenerator

let arguments = Array(CommandLine.arguments.dropFirst())
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("findreviewer-protogen: \(message)\n".utf8))
    exit(1)
}
switch arguments.first {
case "messages" where arguments.count == 2:
    do {
        print(try SwiftSourceGenerator.render(DescriptorSet(contentsOf: arguments[1])), terminator: "")
    } catch {
        fail("\(error)")
    }
case "methods" where arguments.count == 2:
    do {
        print(try MethodTableGenerator.render(DescriptorSet(contentsOf: arguments[1])), terminator: "")
    } catch {
        fail("\(error)")
    }
case "client" where arguments.count == 2:
    do {
        print(try ClientGenerator.render(DescriptorSet(contentsOf: arguments[1])), terminator: "")
    } catch {
        fail("\(error)")
    }
case "handlers" where arguments.count == 2:
    do {
        print(try HandlersGenerator.render(DescriptorSet(contentsOf: arguments[1])), terminator: "")
    } catch {
        fail("\(error)")
    }
default:
    fail("usage: findreviewer-protogen messages DESCRIPTORS.pb | methods DESCRIPTORS.pb | client DESCRIPTORS.pb | handlers DESCRIPTORS.pb")
}
