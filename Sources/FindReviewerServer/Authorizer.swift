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
public struct Authorizer: Sendable {
    private let entries: [String: KeysFile.Entry]

    /// An authorizer for the keys in `file`.
    public init(_ file: KeysFile) {
        var entries: [String: KeysFile.Entry] = [:]
        for entry in file.keys { entries[entry.key] = entry }
        self.entries = entries
    }

    /// The caller presenting `authorization` (`Bearer KEY` or just `KEY`), if it may call a
    /// method open to `roles`.
    public func authorize(authorization: String?, roles: Set<Role>) throws(AuthorizationFailure) -> Caller {
        guard var presented = authorization, !presented.isEmpty else {
            throw .unauthenticated("no key: send metadata \"authorization: Bearer <key>\" (keys are in the server's keys file)")
        }
        if presented.hasPrefix("Bearer ") { presented.removeFirst("Bearer ".count) }
        guard let entry = self.entries[presented], Self.constantTimeEqual(entry.key, presented) else {
            throw .unauthenticated("unknown key: check the key against the server's keys file")
        }
        guard roles.contains(entry.role) else {
            let allowed = roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw .permissionDenied("a \(entry.role.rawValue) key may not call this method (allowed: \(allowed))")
        }
        return Caller(name: entry.name, role: entry.role, businesses: entry.businesses.map(Set.init))
    }

    /// Compares without an early exit, so timing does not tell how much of a key matched.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
