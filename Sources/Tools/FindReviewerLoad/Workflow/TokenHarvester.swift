import Foundation
import Glibc
import Synchronization
import ToolSupport

/// Reply tokens found in the outbox, handed from the harvester's thread to one engine thread.
///
/// The notes are guarded by an `NSLock` (a pthread mutex), not `Synchronization.Mutex`: on
/// Linux the latter waits on a raw futex inside the uninstrumented standard library, so
/// ThreadSanitizer (`make tsan`) sees no order between `post` and `take` and reports a race
/// that is not there. A pthread mutex is intercepted, and this lock is taken a few hundred
/// times a second at most.
final class TokenInbox: @unchecked Sendable {
    struct Note: Sendable {
        var business: Int32
        var request: Int32
        var token: String
    }

    private let lock = NSLock()
    private var notes: [Note] = []  // guarded by `lock`
    private let waiting = Atomic<Int>(0)

    /// Whether notes wait (a cheap check for the engine's loop).
    var hasMail: Bool { self.waiting.load(ordering: .relaxed) > 0 }

    func post(_ note: Note) {
        self.lock.lock()
        self.notes.append(note)
        self.lock.unlock()
        self.waiting.add(1, ordering: .relaxed)
    }

    func take() -> [Note] {
        self.lock.lock()
        let taken = self.notes
        self.notes.removeAll()
        self.lock.unlock()
        self.waiting.subtract(taken.count, ordering: .relaxed)
        return taken
    }

    /// The idempotency-key of a request, also quoted in its message: `<run>.<thread>.<business>.<request>`.
    static func key(runId: String, thread: Int, business: Int32, request: Int32) -> String {
        "\(runId).\(thread).\(business).\(request)"
    }

    /// The thread, business and request a key of run `runId` names, if it is one.
    static func parse(key: Substring, runId: String) -> (thread: Int, business: Int32, request: Int32)? {
        let parts = key.split(separator: ".")
        guard parts.count == 4, parts[0] == runId, let thread = Int(parts[1]), let business = Int32(parts[2]), let request = Int32(parts[3])
        else { return nil }
        return (thread, business, request)
    }
}

/// Watches the server's outbox (`DATA-DIR/outbox/*.mbox`, the file transport's output) with
/// inotify and reads each new reviewer email as `findreviewer outbox` does (``OutboxReader``):
/// the token of its link, and the request key the tool quoted in the message. Only a local
/// server with the default file transport writes there; elsewhere no token arrives and the mix
/// makes requests instead of replies (the summary says so).
final class TokenHarvester: @unchecked Sendable {
    /// The directory watched.
    let directory: String
    private let runId: String
    /// `(ref RUN.`: where this run's request key starts in a reviewer's email.
    private let marker: [UInt8]
    private let inboxes: [TokenInbox]
    private let fd: Int32
    private let stopping = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)
    /// Tokens handed to the engines so far.
    let delivered = Atomic<Int>(0)
    /// Email names read so far (after an inotify overflow the directory is listed again).
    private var seen: Set<String> = []

    /// Kinds of email that carry the reviewer's link.
    static let reviewerKinds: Set<String> = ["requestToReviewer", "automaticReminder", "manualReminder"]

    /// A harvester for `dataDirectory`'s outbox (created if missing, as the server would), or nil
    /// when it cannot be watched.
    init?(dataDirectory: String, runId: String, inboxes: [TokenInbox]) {
        self.directory = OutboxReader.directory(dataDirectory: dataDirectory)
        self.runId = runId
        self.marker = Array("(ref \(runId).".utf8)
        self.inboxes = inboxes
        try? FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, self.directory, UInt32(IN_MOVED_TO | IN_CLOSE_WRITE)) >= 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit { Glibc.close(self.fd) }

    /// Starts the watching thread.
    func start() {
        let thread = Thread { [self] in
            self.watch()
            self.stopped.signal()
        }
        thread.name = "findreviewer-load outbox"
        thread.start()
    }

    /// Stops it and waits for its thread.
    func stop() {
        guard !self.stopping.exchange(true, ordering: .relaxed) else { return }
        self.stopped.wait()
    }

    private func watch() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while !self.stopping.load(ordering: .relaxed) {
            var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(self.fd, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var names: [String] = []
            var overflowed = false
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
                while offset + 16 <= count {
                    let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
                    if length > 0 {
                        let name = bytes[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                        names.append(String(decoding: name, as: UTF8.self))
                    }
                    offset += 16 + length
                }
            }
            if overflowed { names += OutboxReader.fileNames(in: self.directory) }
            for name in names where OutboxReader.isEmailFile(name) && !self.seen.contains(name) {
                self.seen.insert(name)
                self.read(name)
            }
        }
    }

    private func read(_ name: String) {
        for message in OutboxReader.messages(inFile: name, directory: self.directory) ?? [] {
            let (_, body) = OutboxReader.kindAndBody(message, bodyIf: Self.reviewerKinds)
            if let body { self.take(body) }
        }
    }

    /// Posts the token of a reviewer's email of this run (its decoded body) to its thread's
    /// inbox: the token of the `?token=` link (as ``OutboxEmail/token``) and the request key
    /// the tool quoted in the message, `(ref RUN.THREAD.BUSINESS.REQUEST)`.
    private func take(_ body: [UInt8]) {
        guard let token = Self.token(in: body), let marker = Self.find(self.marker, in: body) else { return }
        let keyStart = marker + 5  // after "(ref "
        let keyEnd = body[keyStart...].firstIndex(of: UInt8(ascii: ")")) ?? body.count
        let key = Substring(String(decoding: body[keyStart..<keyEnd], as: UTF8.self))
        guard let (thread, business, request) = TokenInbox.parse(key: key, runId: self.runId), thread < self.inboxes.count else { return }
        self.inboxes[thread].post(TokenInbox.Note(business: business, request: request, token: token))
        self.delivered.add(1, ordering: .relaxed)
    }

    /// The token of the first `?token=` or `&token=` in `body` (letters, digits, `.`, `_`, `-`).
    static func token(in body: [UInt8]) -> String? {
        let key = Array("token=".utf8)
        var from = 1
        while let at = Self.find(key, in: body, from: from) {
            defer { from = at + 1 }
            guard body[at - 1] == UInt8(ascii: "?") || body[at - 1] == UInt8(ascii: "&") else { continue }
            let start = at + key.count
            var end = start
            while end < body.count, Self.isTokenByte(body[end]) { end += 1 }
            if end > start { return String(decoding: body[start..<end], as: UTF8.self) }
        }
        return nil
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122, 46, 95, 45: true
        default: false
        }
    }

    /// The first index of `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var at = from
            let last = bytes.count - needle.count
            while at <= last {
                // The next candidate by its first byte (memchr), then the rest compared.
                guard let hit = memchr(base + at, Int32(first), last - at + 1) else { return nil }
                at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, needle, needle.count) == 0 { return at }
                at += 1
            }
            return nil
        }
    }
}
