import Credentials
import FindReviewerDomain

/// Who is calling, once their key checked out.
public struct Caller: Sendable, Equatable {
    /// The key's label from the keys file.
    public var name: String
    /// The key's role.
    public var role: Role
    /// Business ids a limited `business-portal` key may act for; `nil` means all.
    public var businesses: Set<String>?

    /// Whether the caller may act for `businessId`.
    public func mayActFor(businessId: String) -> Bool {
        self.businesses?.contains(businessId) ?? true
    }
}

/// Why a call was refused before it ran.
public enum AuthorizationFailure: Error, Sendable, Equatable {
    /// No key, or a key the server does not know (UNAUTHENTICATED).
    case unauthenticated(String)
    /// A known key whose role may not call the method, or a business outside its list (PERMISSION_DENIED).
    case permissionDenied(String)
}

/// Checks the `authorization` metadata against the keys file and the method's roles.
///
/// Every call runs this once (the interceptor; the handler finds the `Caller` in its context), so the
/// accepted path allocates nothing: the key is looked up as a slice of the metadata value and
/// the `Caller` of each key is built once.
public struct Authorizer: Sendable {
    private struct Known: Sendable {
        let key: String
        let caller: Caller
    }
    /// Keys by their last 8 bytes (random in generated keys): finding a key
    /// hashes one integer, not the whole key, and the candidates are compared in constant time.
    private let entries: [UInt64: [Known]]

    /// An authorizer for the keys in `file`.
    public init(_ file: KeysFile) {
        var entries: [UInt64: [Known]] = [:]
        for entry in file.keys {
            entries[Self.bucket(entry.key[...]), default: []].append(Known(
                key: entry.key, caller: Caller(name: entry.name, role: entry.role, businesses: entry.businesses.map(Set.init))))
        }
        self.entries = entries
    }

    /// The last 8 bytes of `key` (all of it when shorter) as an integer: random in generated
    /// keys; keys that share them share a bucket and are told apart by the full comparison.
    private static func bucket(_ key: Substring) -> UInt64 {
        var value: UInt64 = 0
        for byte in key.utf8.suffix(8) { value = value << 8 | UInt64(byte) }
        return value
    }

    /// The caller presenting `authorization` (`Bearer KEY` or just `KEY`), if it may call a
    /// method open to `roles`.
    public func authorize(authorization: String?, roles: Set<Role>) throws(AuthorizationFailure) -> Caller {
        guard let authorization, !authorization.isEmpty else {
            throw .unauthenticated("no key: send metadata \"authorization: Bearer <key>\" (keys are in the server's keys file)")
        }
        let presented = authorization.hasPrefix("Bearer ") ? authorization.dropFirst("Bearer ".count) : authorization[...]
        guard let known = self.entries[Self.bucket(presented)]?.first(where: { ConstantTime.equal($0.key, presented) }) else {
            throw .unauthenticated("unknown key: check the key against the server's keys file")
        }
        guard roles.contains(known.caller.role) else {
            let allowed = roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw .permissionDenied("a \(known.caller.role.rawValue) key may not call this method (allowed: \(allowed))")
        }
        return known.caller
    }
}
