import Foundation
import Messages

/// Builders of test inputs for the message layer.
enum Fixtures {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A JSON object for `layout` with every field set to a non-default value that depends on
    /// `seed`, so a round trip that drops or swaps any field is caught.
    /// Of each oneof, only one member is set: the one at `seed` (modulo the member count), or
    /// the one at `oneofCase` for the top-level message when given.
    static func filledJSON(_ layout: MessageLayout, seed: Int = 1, oneofCase: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        let chosen = Set(layout.oneofs.map { $0[(oneofCase ?? seed) % $0.count].number })
        for field in layout.fields {
            if field.isOneofMember && !chosen.contains(field.number) { continue }
            let one = self.value(field, seed: seed)
            members.append((field.jsonName, field.isRepeated ? .array([one, self.value(field, seed: seed + 1)]) : one))
        }
        return .object(members)
    }

    private static func value(_ field: FieldLayout, seed: Int) -> JSONValue {
        let number = Int(field.number) * 7 + seed
        switch field.kind {
        case .string: return .string("\(field.name) #\(number) ✓ åäö")
        case .int32, .sint32, .sfixed32: return .number(String(-number))
        case .uint32, .fixed32: return .number(String(number))
        case .int64, .sint64, .sfixed64: return .string(String(-(Int64(number) << 33)))
        case .uint64, .fixed64: return .string(String(UInt64(number) << 40))
        case .float, .double: return .number("\(number).5")
        case .bool: return .bool(true)
        case .bytes: return .string(Data([UInt8(number % 256), 0, 255]).base64EncodedString())
        case .enum:
            let values = ProtoSchema.enums[field.typeName!]!.values
            return .string(values[1 + (seed % (values.count - 1))].name)
        case .message:
            return self.filledJSON(ProtoSchema.messages[field.typeName!]!, seed: seed + 1)
        }
    }

    /// A typical CreateInfoRequest as the business portal sends it.
    static func makeCreateInfoRequest(
        businessId: String = "biz-acme",
        reviewId: String = "rev-000123",
        message: String = "Hello! We could not find your order. Could you share your booking number and name?",
        requestedFields: [RequestedField] = [.referenceNumber, .fullName],
        referenceLabel: String = "Booking number"
    ) -> CreateInfoRequestRequest {
        CreateInfoRequestRequest(
            businessId: businessId, reviewId: reviewId, message: message,
            requestedFields: requestedFields, referenceLabel: referenceLabel, acknowledgeIntro: true)
    }

    /// Runs `protoc` with `arguments`, feeding `input`; returns standard output.
    static func protoc(_ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["protoc", "-I", self.packageRoot.appendingPathComponent("Protos").path] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "protoc \(arguments) failed"])
        }
        return output
    }
}
