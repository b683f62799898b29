import Credentials
import Messages

/// Who may call each method, and whether a retry of it is always safe: the generated method
/// table (``ProtoMethods/all``, from the `.proto` files' method options) with its roles typed.
///
/// The server refuses to start unless its handlers and the table name the same methods
/// (``verify(registered:table:)``), so no method is reachable without a decision about its roles.
public struct MethodPolicy: Sendable, Equatable {
    /// Roles whose keys may call the method; empty means no key is needed.
    public var roles: Set<Role>
    /// True when repeating the call can never apply it twice (reads, and writes keyed by the caller's id).
    public var idempotent: Bool

    /// The policy of every method by full name (`package.Service/Method`), from the method table.
    /// A role name the server does not know is left out (the method is narrower, never wider);
    /// ``verify(registered:table:)`` refuses to start with one.
    public static let all: [String: MethodPolicy] = Self.policies(ProtoMethods.all)

    /// The policies of `table`'s methods by full name.
    public static func policies(_ table: [ProtoMethod]) -> [String: MethodPolicy] {
        var policies: [String: MethodPolicy] = [:]
        for method in table {
            policies[method.fullName] = MethodPolicy(roles: Set(method.roles.compactMap(Role.init(rawValue:))), idempotent: method.idempotent)
        }
        return policies
    }

    /// Fails unless every registered handler has a table entry, every table entry has a handler,
    /// and every role the table names is a role of the keys file: the server does not start otherwise.
    public static func verify(registered: [String], table: [ProtoMethod] = ProtoMethods.all) throws(ConfigurationError) {
        var problems: [String] = []
        let handlers = Set(registered)
        let entries = Set(table.map(\.fullName))
        for method in handlers.subtracting(entries).sorted() {
            problems.append("\(method) has a handler but no entry in the method table (no rpc with roles and idempotent options in Protos/)")
        }
        for method in entries.subtracting(handlers).sorted() {
            problems.append("\(method) is in the method table but has no handler")
        }
        for method in table {
            for role in method.roles where Role(rawValue: role) == nil {
                problems.append("\(method.fullName) names the unknown role \"\(role)\" (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        guard problems.isEmpty else {
            throw ConfigurationError("the server's methods and the method table disagree: " + problems.joined(separator: "; "))
        }
    }
}
