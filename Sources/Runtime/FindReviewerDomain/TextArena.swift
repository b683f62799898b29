/// A long text an entity keeps (a request's message, a review's text and id), stored as a slice
/// of a shared chunk of bytes instead of a string of its own.
///
/// A native string of 81 bytes is a heap object of 32 bytes of header plus the text, rounded up
/// by the allocator to 128 bytes, beside its 16 inline bytes; a million requests paid 47 bytes
/// each for the header and the rounding of their messages alone. A ``TextArena`` packs texts
/// end to end in chunks of 64 KiB, so a text costs its bytes plus these 16 inline bytes. A slice
/// holds its chunk, so a chunk lives as long as any text in it.
///
/// Reading one (``string``) builds a string: an allocation for a text beyond 15 bytes. The
/// views and emails that read one do that once per read; the snapshot and the comparisons use
/// the bytes in place (``withUTF8(_:)``). Texts compare byte for byte, not by Unicode canonical
/// equivalence as strings do: a text published again in another normalization is a change.
public struct StoredText: @unchecked Sendable, Equatable {
    /// Nil for the empty text.
    private let chunk: TextChunk?
    private let offset: UInt32
    private let count: UInt32

    /// The empty text.
    public init() {
        self.chunk = nil
        self.offset = 0
        self.count = 0
    }

    /// `text` in a chunk of its own (exactly its size: one allocation, as a string's). An entity
    /// built outside a state keeps its texts like this; the state moves them into its arena when
    /// it stores the entity (``TextArena/adopt(_:)``).
    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { bytes in
            guard !bytes.isEmpty else { return StoredText() }
            let chunk = TextChunk.make(capacity: bytes.count, single: true)
            return chunk.append(bytes).map { StoredText(chunk: chunk, offset: $0, count: bytes.count) } ?? StoredText()
        }
    }

    fileprivate init(chunk: TextChunk, offset: Int, count: Int) {
        self.chunk = chunk
        self.offset = UInt32(offset)
        self.count = UInt32(count)
    }

    /// The text.
    public var string: String { self.withUTF8 { String(decoding: $0, as: UTF8.self) } }

    /// Its length in UTF-8 bytes.
    public var utf8Count: Int { Int(self.count) }

    public var isEmpty: Bool { self.count == 0 }

    /// Calls `body` with the text's bytes in place.
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let chunk = self.chunk else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try chunk.withUnsafeMutablePointerToElements { elements in
            try body(UnsafeBufferPointer(start: elements + Int(self.offset), count: Int(self.count)))
        }
    }

    /// Whether both texts sit in the same chunk.
    func sharesChunk(with other: StoredText) -> Bool { self.chunk != nil && self.chunk === other.chunk }

    /// Whether the text sits in a chunk of its own (not yet in an arena).
    var isSingle: Bool { self.chunk?.withUnsafeMutablePointerToHeader { $0.pointee.single } ?? false }

    public static func == (lhs: StoredText, rhs: StoredText) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.chunk === rhs.chunk, lhs.offset == rhs.offset { return true }
        return lhs.withUTF8 { left in rhs.withUTF8 { right in sameBytes(left, right) } }
    }

    /// Whether the text equals `string`, without building a string.
    public static func == (lhs: StoredText, rhs: String) -> Bool {
        guard lhs.utf8Count == rhs.utf8.count else { return false }
        var rhs = rhs
        return rhs.withUTF8 { right in lhs.withUTF8 { left in sameBytes(left, right) } }
    }

}

/// Equal bytes, eight at a time (the generic element loop of `elementsEqual` cost 2.6 % of a
/// GetReview's instructions, in the lookup's id check).
func sameBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    guard left.count == right.count else { return false }
    guard let a = left.baseAddress, let b = right.baseAddress else { return left.isEmpty }
    let (first, second) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    var index = 0
    while index + 8 <= left.count {
        if first.loadUnaligned(fromByteOffset: index, as: UInt64.self) != second.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
            return false
        }
        index += 8
    }
    while index < left.count {
        if a[index] != b[index] { return false }
        index += 1
    }
    return true
}

/// Where a state packs its long texts (see ``StoredText``): chunks of 64 KiB filled end to end.
///
/// The bytes of a chunk below its fill mark never change, so copies of a state on other threads
/// (a snapshot's) read their texts while the state appends after them. Only one arena appends to
/// a chunk: a copy of an arena (the copy of its state) shares its writer, and the first append
/// after the copy starts a new writer and a new chunk, as a copy-on-write value would.
///
/// Texts that are replaced (a review published again with another text) leave their old bytes
/// in their chunk until the chunk's last text goes; a restore from a snapshot packs only what is
/// live.
public struct TextArena: Sendable {
    /// The chunk being filled; one per arena, replaced when the arena was copied.
    private final class Writer: @unchecked Sendable {
        var chunk: TextChunk?
    }

    private var writer = Writer()

    /// A text beyond a quarter of a chunk gets a chunk of its own, so that no chunk is left mostly empty.
    static let chunkCapacity = 65_536 - 64

    public init() {}

    /// `text`, stored in this arena.
    public mutating func store(_ text: String) -> StoredText {
        var text = text
        return text.withUTF8 { self.store($0) }
    }

    /// `text` (a single one, see ``StoredText/init(_:)``) moved into this arena; any other as it is.
    public mutating func adopt(_ text: StoredText) -> StoredText {
        guard text.isSingle else { return text }
        return text.withUTF8 { self.store($0) }
    }

    /// `bytes` (valid UTF-8), stored in this arena.
    public mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> StoredText {
        guard !bytes.isEmpty else { return StoredText() }
        if !isKnownUniquelyReferenced(&self.writer) { self.writer = Writer() }
        if bytes.count > Self.chunkCapacity / 4 {
            let chunk = TextChunk.make(capacity: bytes.count, single: false)
            return StoredText(chunk: chunk, offset: chunk.append(bytes)!, count: bytes.count)
        }
        if let chunk = self.writer.chunk, let offset = chunk.append(bytes) { return StoredText(chunk: chunk, offset: offset, count: bytes.count) }
        let chunk = TextChunk.make(capacity: Self.chunkCapacity, single: false)
        self.writer.chunk = chunk
        return StoredText(chunk: chunk, offset: chunk.append(bytes)!, count: bytes.count)
    }
}

/// The bytes of a ``TextArena``'s chunk, after a header with the fill mark. Only the arena's
/// writer appends (see ``TextArena``); the bytes below the mark are never written again.
final class TextChunk: ManagedBuffer<TextChunk.Header, UInt8> {
    struct Header {
        var filled: Int
        let capacity: Int
        /// Made for one text (``StoredText/init(_:)``), not by an arena.
        let single: Bool
    }

    static func make(capacity: Int, single: Bool) -> TextChunk {
        // `create` returns the class it is called on, as a ManagedBuffer.
        unsafeDowncast(Self.create(minimumCapacity: capacity) { _ in Header(filled: 0, capacity: capacity, single: single) }, to: TextChunk.self)
    }

    /// Copies `bytes` after the fill mark and returns their offset; nil when they do not fit.
    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        self.withUnsafeMutablePointers { header, elements in
            let offset = header.pointee.filled
            guard bytes.count <= header.pointee.capacity - offset, let base = bytes.baseAddress else { return nil }
            (elements + offset).initialize(from: base, count: bytes.count)
            header.pointee.filled = offset + bytes.count
            return offset
        }
    }
}
