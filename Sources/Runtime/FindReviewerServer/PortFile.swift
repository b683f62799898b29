import Foundation
import Glibc

/// `--port-file PATH`: the port the server listens on, for a caller that started it on port 0.
enum PortFile {
    /// Writes `port` in decimal and a newline to `path` through a temporary file and rename(2),
    /// so that a reader never sees a half-written file (an older one is replaced).
    static func write(_ port: UInt16, to path: String) throws(ConfigurationError) {
        let temporary = path + ".tmp"
        do {
            try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw ConfigurationError("cannot write the port file \(temporary): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            throw ConfigurationError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
