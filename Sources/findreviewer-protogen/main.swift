// Prints the generated Swift value types; `make protos` writes them to
// Sources/Messages/Generated/Messages.generated.swift.
import Messages

print(SwiftSourceGenerator.render(), terminator: "")
