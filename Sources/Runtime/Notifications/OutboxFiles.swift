import FindReviewerDomain
import Foundation
import Glibc

/// The files of the outbox directory (`<data-dir>/outbox`) and their format.
///
/// The file transport writes each batch of emails (one delivery pass) as one mbox file
/// (mboxrd: `mutt -f`, `mail -f`, Thunderbird and `less` open it), named after the entry ids
/// it holds: `<first entry>-<last entry>.<stamp>.mbox`, the stamp 16 hex digits of the
/// writing time in nanoseconds (a repeat after a crash writes a new file, never replaces one).
/// Each message is preceded by a `From - <date>` line and followed by an empty line; a body
/// line that starts with `From ` behind any number of `>` gets one more `>` (unescaped by
/// readers). The messages keep their CRLF line ends, byte for byte what SMTP would send.
/// Releases before 2026-12 wrote one `<entry>.eml` file per email; readers read both.
public enum OutboxFiles {
    /// The batch files' extension.
    public static let mboxSuffix = ".mbox"
    /// The per-email files of older releases.
    public static let emlSuffix = ".eml"

    /// The name of a batch file holding entries `first` … `last` (in their order), written at
    /// `nanoseconds` (wall clock).
    public static func batchName(first: String, last: String, nanoseconds: UInt64) -> String {
        var stamp = String(nanoseconds, radix: 16)
        if stamp.count < 16 { stamp = String(repeating: "0", count: 16 - stamp.count) + stamp }
        return first + "-" + last + "." + stamp + self.mboxSuffix
    }

    /// The first and last entry ids of a batch file's name, if it is one.
    public static func entryRange(ofBatch name: String) -> (first: String, last: String)? {
        guard name.hasSuffix(self.mboxSuffix) || name.hasSuffix(self.mboxSuffix + ".tmp") else { return nil }
        let stem = name.prefix { $0 != "." }
        let ids = stem.split(separator: "-", maxSplits: 1)
        guard ids.count == 2 else { return nil }
        return (String(ids[0]), String(ids[1]))
    }

    /// Whether entry `id` sorts within `first…last` as the state numbers entries (`out_` and a
    /// number: longer is later, then by characters).
    static func id(_ id: String, isWithin first: String, _ last: String) -> Bool {
        func order(_ a: String, _ b: String) -> Bool { a.utf8.count != b.utf8.count ? a.utf8.count < b.utf8.count : a < b }
        return !order(id, first) && !order(last, id)
    }

    // MARK: writing

    private static let from = Array("From - ".utf8)
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"].map { Array($0.utf8) }
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    /// `From - Wed Dec  2 14:05:09 2026` and CRLF: the separator line before each message
    /// (the date in `asctime` form, UTC).
    static func separator(at time: Int64) -> [UInt8] {
        let parts = CivilTime.parts(time)
        var out = self.from
        out.append(contentsOf: self.weekdays[Int(((time / 86_400) % 7 + 7) % 7)])
        out.append(32)
        out.append(contentsOf: self.months[parts.month - 1])
        out.append(32)
        out.append(parts.day < 10 ? 32 : UInt8(48 + parts.day / 10))
        out.append(UInt8(48 + parts.day % 10))
        for (value, separator) in [(parts.hour, UInt8(32)), (parts.minute, 58), (parts.second, 58)] {
            out.append(separator)
            out.append(UInt8(48 + value / 10))
            out.append(UInt8(48 + value % 10))
        }
        out.append(32)
        out.append(contentsOf: String(parts.year).utf8)
        out.append(contentsOf: [13, 10])
        return out
    }

    /// Appends `message` to an mbox being built: the separator, the message with its `From `
    /// lines escaped, an empty line.
    static func append(_ message: [UInt8], separator: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: separator)
        message.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var lineStart = 0
            while lineStart < bytes.count {
                let rest = bytes.count - lineStart
                let lineEnd = memchr(base + lineStart, 10, rest).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) + 1 } ?? bytes.count
                if self.isFromLine(bytes, at: lineStart) { out.append(62) }  // ">"
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
                lineStart = lineEnd
            }
        }
        out.append(contentsOf: [13, 10])
    }

    /// Whether the line at `start` is `>`* then `From `.
    private static func isFromLine(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var index = start
        while index < bytes.count && bytes[index] == 62 { index += 1 }
        guard bytes.count - index >= 5 else { return false }
        return bytes[index] == 70 && bytes[index + 1] == 114 && bytes[index + 2] == 111 && bytes[index + 3] == 109 && bytes[index + 4] == 32
    }

    // MARK: reading

    /// The messages of an mbox file as written by ``append(_:separator:to:)``, unescaped.
    public static func messages(inMbox data: [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var current: [UInt8]?
        data.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var lineStart = 0
            while lineStart < bytes.count {
                let rest = bytes.count - lineStart
                let lineEnd = memchr(base + lineStart, 10, rest).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) + 1 } ?? bytes.count
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                if line.starts(with: [70, 114, 111, 109, 32]) {  // "From ": a new message
                    if let message = current { messages.append(Self.trimmed(message)) }
                    current = []
                } else if current != nil {
                    if bytes[lineStart] == 62 && self.isFromLine(bytes, at: lineStart) {
                        current!.append(contentsOf: line.dropFirst())
                    } else {
                        current!.append(contentsOf: line)
                    }
                }
                lineStart = lineEnd
            }
        }
        if let message = current { messages.append(Self.trimmed(message)) }
        return messages
    }

    /// A message without the empty line that separates it from the next.
    private static func trimmed(_ message: [UInt8]) -> [UInt8] {
        if message.count >= 2 && message[message.count - 2] == 13 && message[message.count - 1] == 10 { return Array(message.dropLast(2)) }
        if message.last == 10 { return Array(message.dropLast()) }
        return message
    }

    /// The outbox entry id in a message's `Message-ID: <id@domain>` header.
    public static func entryId(of message: [UInt8]) -> String? {
        let key = Array("\nMessage-ID: <".utf8)
        guard let start = self.find(key, in: message) else { return nil }
        let idStart = start + key.count
        guard let end = message[idStart...].firstIndex(where: { $0 == 64 || $0 == 62 || $0 == 13 }) else { return nil }
        return String(decoding: message[idStart..<end], as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    // MARK: removing

    /// Removes the emails of `entryIds` from `directory`: their `.eml` files (older releases),
    /// and their messages from the batch files that hold them (each rewritten without them,
    /// durably: temporary file, fsync, rename, directory fsync; removed when nothing is left).
    /// A batch file still being written (`.tmp`) that may hold one is removed; its delivery
    /// fails and is retried. Returns the number of emails removed.
    @discardableResult
    public static func remove(entryIds: [String], from directory: String) -> Int {
        guard !entryIds.isEmpty else { return 0 }
        // One remover at a time (an erasure and the delivery thread's cleanup of cancelled
        // entries may meet): two rewrites of one file must not share its temporary file.
        self.removing.lock()
        defer { self.removing.unlock() }
        var removed = 0
        for id in entryIds {
            let path = (directory as NSString).appendingPathComponent(id + self.emlSuffix)
            if unlink(path) == 0 { removed += 1 }
            unlink(path + ".tmp")
        }
        let wanted = Set(entryIds)
        var changed = false
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let range = self.entryRange(ofBatch: name), entryIds.contains(where: { self.id($0, isWithin: range.first, range.last) }) else {
                continue
            }
            let path = (directory as NSString).appendingPathComponent(name)
            if name.hasSuffix(".tmp") {
                unlink(path)
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let messages = self.messages(inMbox: [UInt8](data))
            let kept = messages.filter { message in self.entryId(of: message).map { !wanted.contains($0) } ?? true }
            guard kept.count < messages.count else { continue }
            removed += messages.count - kept.count
            changed = true
            if kept.isEmpty {
                unlink(path)
                continue
            }
            var out: [UInt8] = []
            // The separator lines are rewritten with the time of this rewrite.
            let separator = self.separator(at: Int64(time(nil)))
            for message in kept { self.append(message, separator: separator, to: &out) }
            let temporary = path + ".tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                // Cannot rewrite: the file must not keep the emails, so it goes.
                unlink(path)
                continue
            }
            let ok = self.writeAll(fd, out) && fdatasync(fd) == 0
            close(fd)
            if !ok || rename(temporary, path) != 0 {
                unlink(temporary)
                unlink(path)
            }
        }
        if changed {
            let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directoryFD >= 0 {
                _ = fsync(directoryFD)
                close(directoryFD)
            }
        }
        return removed
    }

    private static let removing = NSLock()

    /// Writes all of `bytes` (retrying short writes and EINTR).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
