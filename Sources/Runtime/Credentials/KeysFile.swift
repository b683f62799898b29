import Foundation
import Glibc

/// The API keys the server accepts, each with a role (DESIGN.md §6), read from a JSON file.
///
/// ```json
/// {"keys": [
///   {"name": "admin", "role": "admin", "key": "frk_…"},
///   {"name": "portal-acme", "role": "business-portal", "key": "frk_…", "businesses": ["biz-acme"]}
/// ]}
/// ```
/// A `business-portal` key without `businesses` may act for every business.
///
/// The one reader of the file: the server loads it (validated) at start; the tools load it to
/// pick a role's key (``key(for:)``).
public struct KeysFile: Sendable, Equatable, Codable {
    /// One key.
    public struct Entry: Sendable, Equatable, Codable {
        /// A label for logs; never the key itself.
        public var name: String
        /// What the key may do.
        public var role: Role
        /// The secret presented in the `authorization` metadata.
        public var key: String
        /// For `business-portal` keys: the business ids it may act for; `nil` means all.
        public var businesses: [String]?

        /// Creates an entry.
        public init(name: String, role: Role, key: String, businesses: [String]? = nil) {
            self.name = name
            self.role = role
            self.key = key
            self.businesses = businesses
        }
    }

    /// Every accepted key.
    public var keys: [Entry]

    /// Creates a keys file.
    public init(keys: [Entry]) { self.keys = keys }

    /// A fresh file with one random key per role, named after the role.
    public static func generated() -> KeysFile {
        KeysFile(keys: Role.allCases.map { Entry(name: $0.rawValue, role: $0, key: self.randomKey()) })
    }

    /// `frk_` and 256 random bits in hex, from the system CSPRNG (getrandom).
    public static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<4).map { _ in generator.next() as UInt64 }
        return "frk_" + words.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// Reads the file at `path`. `validate` checks what the server needs to start with it (keys
    /// of 16 characters or more, none twice, `businesses` only on business-portal keys); a tool
    /// that only picks a key passes false.
    public static func load(path: String, validate: Bool = true) throws(KeysFileError) -> KeysFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason: KeysFileError.Reason = FileManager.default.fileExists(atPath: path) ? .unreadable : .missing
            throw KeysFileError(reason, "cannot read keys file \(path): \(error.localizedDescription)")
        }
        let file: KeysFile
        do {
            file = try JSONDecoder().decode(KeysFile.self, from: data)
        } catch {
            throw KeysFileError(
                .invalid, "keys file \(path) is not valid: \(error). Expected {\"keys\":[{\"name\":…,\"role\":\"admin\",\"key\":…}]}")
        }
        if validate { try file.validate(path: path) }
        return file
    }

    /// The first key with `role`, if any.
    public func key(for role: Role) -> String? {
        self.keys.first { $0.role == role }?.key
    }

    /// Loads `path`, or creates it (mode 0600, a fresh key per role) when it does not exist.
    /// Returns the keys and whether the file was created.
    public static func loadOrCreate(path: String) throws(KeysFileError) -> (KeysFile, created: Bool) {
        if FileManager.default.fileExists(atPath: path) { return (try self.load(path: path), false) }
        let file = self.generated()
        try file.write(path: path)
        return (file, true)
    }

    /// Writes the file with mode 0600, creating its directory if needed.
    public func write(path: String) throws(KeysFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } catch {
            throw KeysFileError(.cannotWrite, "cannot create directory \(directory): \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        // open(2) with 0600 so the secret is never readable by others, not even briefly.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw KeysFileError(.cannotWrite, "cannot create keys file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(descriptor) == 0 else {
            throw KeysFileError(.cannotWrite, "cannot write keys file \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func validate(path: String) throws(KeysFileError) {
        var seen = Set<String>()
        for entry in self.keys {
            guard entry.key.count >= 16 else {
                throw KeysFileError(.invalid, "key \"\(entry.name)\" in \(path) is shorter than 16 characters")
            }
            guard seen.insert(entry.key).inserted else {
                throw KeysFileError(.invalid, "key \"\(entry.name)\" in \(path) appears twice")
            }
            if entry.businesses != nil && entry.role != .businessPortal {
                throw KeysFileError(.invalid, "key \"\(entry.name)\" in \(path): only business-portal keys take \"businesses\"")
            }
        }
    }
}

/// Why the keys file cannot be used, with a message naming the file.
public struct KeysFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Reason: Sendable, Equatable {
        /// The file does not exist.
        case missing
        /// The file exists but cannot be read (its mode is 0600: another user's file).
        case unreadable
        /// Not JSON of the expected shape, or (when validated) a key the server would refuse.
        case invalid
        /// The file or its directory cannot be created or written.
        case cannotWrite
    }

    /// What kind of failure.
    public var reason: Reason
    /// What went wrong, with the file's path.
    public var message: String

    /// Creates an error.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// The message.
    public var description: String { self.message }
}
