import RPC

/// One TCP connection of a ``LoadEngine``: its socket, what is queued for it, and its calls in
/// flight by call id. Touched only on its engine's thread.
final class LoadConnection {
    /// Where the connection is in its life.
    enum State: Equatable {
        /// No socket; a connect is due at ``LoadConnection/retryAt``.
        case closed
        /// A non-blocking connect is in progress.
        case connecting
        /// Preface and a PING sent; open once the PONG arrives (the server accepted the connection).
        case handshaking
        /// Carrying calls.
        case open
        /// The server sent GOAWAY: no new calls; closed (and reopened) once the last answer is in.
        case goingAway
        /// Given up on: the server stayed unreachable for the whole reconnect window.
        case dead
    }

    /// Its position in the engine's list (and its epoll tag).
    let index: Int32
    var fd: Int32 = -1
    var state = State.closed
    /// Bumped whenever the socket changes, so free-slot entries of an old socket are ignored.
    var generation: UInt32 = 0
    var decoder = FrameDecoder(expectingPreface: true)
    /// Bytes queued for the socket; those before `outOffset` are already written.
    var out: [UInt8] = []
    var outOffset = 0
    /// Calls sent and not yet answered, by call id.
    var inFlight: [UInt32: LoadCall] = [:]
    /// Call ids increase by one per call (GOAWAY's last_call_id relies on it); 0 is skipped.
    var nextCallId: UInt32 = 1
    /// Whether epoll also reports it writable (only while `out` has bytes the kernel refused).
    var watchingWritable = false
    /// Whether it is in the engine's list of connections to flush.
    var dirty = false
    /// Since when it has been without a usable socket, once it had one.
    var outageSince: UInt64?
    /// Connects that failed in a row.
    var failures = 0
    /// When the next connect is due (state `.closed`).
    var retryAt: UInt64 = 0
    /// Whether it is in the engine's reconnect queue.
    var queuedForConnect = false
    /// Whether it was ever open (a later open is a reconnect).
    var everOpened = false
    /// The last reason it failed or was closed, for messages.
    var lastError = ""

    init(index: Int32, reserve: Int) {
        self.index = index
        self.inFlight.reserveCapacity(reserve)
        self.out.reserveCapacity(512)
    }

    /// Bytes still to write.
    var pendingOutput: Int { self.out.count - self.outOffset }
}

/// A FIFO of free call slots: (connection, generation) packed in a UInt64. A slot whose
/// connection has since changed its socket or filled up is skipped when taken.
struct SlotQueue {
    private var items: [UInt64] = []
    private var head = 0

    var isEmpty: Bool { self.head == self.items.count }
    var count: Int { self.items.count - self.head }

    @inline(__always)
    static func pack(connection: Int32, generation: UInt32) -> UInt64 { UInt64(UInt32(bitPattern: connection)) << 32 | UInt64(generation) }

    @inline(__always)
    static func unpack(_ slot: UInt64) -> (connection: Int32, generation: UInt32) {
        (Int32(bitPattern: UInt32(truncatingIfNeeded: slot >> 32)), UInt32(truncatingIfNeeded: slot))
    }

    mutating func reserve(_ capacity: Int) { self.items.reserveCapacity(capacity) }

    @inline(__always)
    mutating func push(_ slot: UInt64) {
        if self.head > 0 && self.head == self.items.count {
            self.items.removeAll(keepingCapacity: true)
            self.head = 0
        } else if self.head >= 4_096 && self.head * 2 >= self.items.count {
            self.items.removeFirst(self.head)
            self.head = 0
        }
        self.items.append(slot)
    }

    @inline(__always)
    mutating func pop() -> UInt64? {
        guard self.head < self.items.count else { return nil }
        defer { self.head += 1 }
        return self.items[self.head]
    }

    /// Puts back the slot just popped, at the front.
    mutating func unpop() {
        precondition(self.head > 0)
        self.head -= 1
    }

    mutating func append(contentsOf slots: [UInt64]) { for slot in slots { self.push(slot) } }
}
