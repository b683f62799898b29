/// The journal file format (all integers big-endian):
///
/// ```
/// file   = magic "FRJL" (4) | version u32 (4) | record*
/// record = payload length u32 (4) | sequence u64 (8) | CRC-32C of sequence+payload u32 (4) | payload
/// ```
/// Sequence numbers are consecutive across the whole journal (all its segments), starting at 1.
/// A segment may end in zero bytes: the writer zero-fills ahead of its records, so that an
/// `fdatasync` after a batch overwrites allocated blocks and need not also write the inode (a
/// size change costs a second device round trip per sync). A length of 0 is never a record, so
/// zero bytes from a record boundary to the end of the file are the clean end of the segment.
/// Payloads are `findreviewer.v1.StoredEvent` messages (Protos/findreviewer/v1/storage.proto);
/// this module only frames and checks them.
public enum JournalFormat {
    /// `FRJL`.
    public static let magic: [UInt8] = [0x46, 0x52, 0x4A, 0x4C]
    /// Format version 1.
    public static let version: UInt32 = 1
    /// Magic plus version.
    public static let fileHeaderSize = 8
    /// The first bytes of every segment.
    public static var fileHeader: [UInt8] { self.magic + [0, 0, 0, UInt8(self.version)] }
    /// Length, sequence, checksum.
    public static let recordHeaderSize = 16
    /// A record larger than this is damage, not data (events are small).
    public static let maxPayload = 16 << 20

    /// The bytes of one record.
    public static func record(sequence: UInt64, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        self.appendRecord(sequence: sequence, payload: payload, to: &bytes)
        return bytes
    }

    /// Appends one record to `bytes` (a batch is built in one array, without a temporary per
    /// record; reserve the batch's size first).
    public static func appendRecord(sequence: UInt64, payload: [UInt8], to bytes: inout [UInt8]) {
        var header: (UInt32, UInt64, UInt32) = (UInt32(payload.count).bigEndian, sequence.bigEndian, 0)
        let sequenceChecksum = withUnsafeBytes(of: &header.1) { CRC32C.checksum($0) }
        header.2 = CRC32C.checksum(payload, continuing: sequenceChecksum).bigEndian
        withUnsafeBytes(of: &header.0) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: &header.1) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: &header.2) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: payload)
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    static func append64(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    static func readU32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    static func readU64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[at + $1]) }
    }

    /// The records of one journal file, verified. A damaged or partial tail (what a crash in
    /// the middle of a write leaves) ends the list and is reported as `tornAt`; damage followed by
    /// a valid record is corruption.
    public static func parse(_ bytes: [UInt8], path: String, expectedSequence: UInt64) throws(StoreError)
        -> (records: [(sequence: UInt64, payload: [UInt8])], validLength: Int, tornAt: Int?)
    {
        guard bytes.count >= self.fileHeaderSize else {
            // A crash while creating the file leaves it shorter than its header.
            return ([], 0, bytes.isEmpty ? nil : 0)
        }
        guard Array(bytes[0..<4]) == self.magic else {
            throw StoreError(.corrupt, "not a FindReviewer journal (bad magic)", path: path, offset: 0)
        }
        let version = self.readU32(bytes, 4)
        guard version == self.version else {
            throw StoreError(.unsupportedVersion, "journal format version \(version); this build reads version \(self.version)", path: path, offset: 4)
        }
        var records: [(UInt64, [UInt8])] = []
        var offset = self.fileHeaderSize
        var expected = expectedSequence
        while offset < bytes.count {
            guard let (sequence, payload, next) = self.record(in: bytes, at: offset), sequence == expected else {
                // The zero-filled space ahead of the records: the segment ends here, cleanly.
                if self.onlyZeros(bytes, from: offset) { return (records, offset, nil) }
                // Damaged here. If anything valid follows, it is not a torn tail.
                if self.validRecordFollows(bytes, after: offset) {
                    throw StoreError(.corrupt, "damaged record (checksum, length or sequence) before valid data", path: path, offset: offset)
                }
                return (records, offset, offset)
            }
            records.append((sequence, payload))
            expected += 1
            offset = next
        }
        return (records, offset, nil)
    }

    private static func record(in bytes: [UInt8], at offset: Int) -> (UInt64, [UInt8], Int)? {
        guard offset + self.recordHeaderSize <= bytes.count else { return nil }
        let length = Int(self.readU32(bytes, offset))
        guard length > 0, length <= self.maxPayload, offset + self.recordHeaderSize + length <= bytes.count else { return nil }
        let sequence = self.readU64(bytes, offset + 4)
        let checksum = self.readU32(bytes, offset + 12)
        let payload = Array(bytes[(offset + self.recordHeaderSize)..<(offset + self.recordHeaderSize + length)])
        let sequenceBytes = Array(bytes[(offset + 4)..<(offset + 12)])
        guard CRC32C.checksum(payload, continuing: CRC32C.checksum(sequenceBytes)) == checksum else { return nil }
        return (sequence, payload, offset + self.recordHeaderSize + length)
    }

    /// Whether every byte from `offset` to the end is zero.
    static func onlyZeros(_ bytes: [UInt8], from offset: Int) -> Bool {
        bytes[offset...].allSatisfy { $0 == 0 }
    }

    /// Whether a valid record starts anywhere after `offset` (scanning byte by byte).
    private static func validRecordFollows(_ bytes: [UInt8], after offset: Int) -> Bool {
        var position = offset + 1
        while position + self.recordHeaderSize < bytes.count {
            if self.record(in: bytes, at: position) != nil { return true }
            position += 1
        }
        return false
    }
}
