import FindReviewerTestSupport
import Foundation

/// A keys file of known keys, for tests of roles and of a key limited to listed businesses.
enum KnownKeys {
    static let admin = "frk_admin_000000000000000000"
    static let site = "frk_site_0000000000000000000"
    /// A business-portal key limited to business "acme".
    static let acmePortal = "frk_acme_0000000000000000000"

    /// A server started on a fresh data directory holding these keys.
    static func server(arguments: [String] = []) throws -> ServerProcess {
        let directory = ServerProcess.makeDataDirectory()
        let keys = """
            {"keys":[{"name":"admin","role":"admin","key":"\(Self.admin)"},
            {"name":"site","role":"consumer-site","key":"\(Self.site)"},
            {"name":"acme-portal","role":"business-portal","key":"\(Self.acmePortal)","businesses":["acme"]}]}
            """
        try Data(keys.utf8).write(to: directory.appendingPathComponent("keys.json"))
        return try ServerProcess(arguments: arguments, dataDirectory: directory)
    }
}
