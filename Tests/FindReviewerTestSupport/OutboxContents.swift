import Foundation
import Notifications

/// The emails a server's file transport wrote into an outbox directory, for end-to-end tests.
public enum OutboxContents {
    /// Every email in `directory` as its raw text, in the order written, each entry once (a
    /// repeat after a crash is a second copy in a later file): batch `.mbox` files and older
    /// `.eml` ones.
    public static func emails(in directory: URL) -> [(entryId: String, raw: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(OutboxFiles.mboxSuffix) || $0.hasSuffix(OutboxFiles.emlSuffix) }.sorted()
        var seen = Set<String>()
        var out: [(entryId: String, raw: String)] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { continue }
            let messages = name.hasSuffix(OutboxFiles.mboxSuffix) ? OutboxFiles.messages(inMbox: [UInt8](data)) : [[UInt8](data)]
            for message in messages {
                let id = OutboxFiles.entryId(of: message) ?? String(name.prefix { $0 != "." })
                if seen.insert(id).inserted { out.append((id, String(decoding: message, as: UTF8.self))) }
            }
        }
        return out
    }
}
