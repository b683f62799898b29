import Foundation
import Glibc

/// Snapshot files: `<directory>/<sequence, 20 digits>.snap`, the state after journal record
/// `sequence`. Layout (integers big-endian):
///
/// ```
/// header = magic "FRSN" (4) | version u32 (4) | sequence u64 (8) | item count u64 (8)
///        | body length u64 (8) | CRC-32C of the 32 bytes before it u32 (4)
/// body   = item*;  item = payload length u32 (4) | CRC-32C of payload u32 (4) | payload
/// ```
/// Payloads are `findreviewer.v1.SnapshotItem` messages. A file is written as `<name>.tmp`,
/// fsynced, renamed, and the directory fsynced, so a snapshot either exists whole or not at all;
/// damage in a renamed snapshot is corruption and stops the start.
public enum SnapshotFile {
    /// `FRSN`.
    public static let magic: [UInt8] = [0x46, 0x52, 0x53, 0x4E]
    /// Format version 1.
    public static let version: UInt32 = 1
    /// Bytes before the first item.
    public static let headerSize = 36

    /// A snapshot on disk.
    public struct Entry: Sendable, Equatable {
        public var sequence: UInt64
        public var path: String
    }

    /// Snapshots in `directory`, newest first. Leftover temporary files are removed.
    public static func list(_ directory: String) -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var entries: [Entry] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if name.hasSuffix(".tmp") {
                unlink(path)  // an interrupted write: never renamed, never used
            } else if name.hasSuffix(".snap"), name.count == 25, let sequence = UInt64(name.prefix(20)) {
                entries.append(Entry(sequence: sequence, path: path))
            }
        }
        return entries.sorted { $0.sequence > $1.sequence }
    }

    static func name(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".snap"
    }

    /// Writes a snapshot of the state after `sequence`: `items` calls its argument once per
    /// item payload. Returns the path and size of the file.
    public static func write(
        directory: String, sequence: UInt64, items: (_ emit: ([UInt8]) throws(StoreError) -> Void) throws(StoreError) -> Void
    ) throws(StoreError) -> (path: String, size: Int) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.unavailable, "cannot create \(directory): \(error.localizedDescription)")
        }
        let path = (directory as NSString).appendingPathComponent(self.name(sequence))
        let temporary = path + ".tmp"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError(.unavailable, "cannot create: \(String(cString: strerror(errno)))", path: temporary) }
        var closed = false
        defer {
            if !closed {
                Glibc.close(fd)
                unlink(temporary)
            }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var offset = self.headerSize
        var count: UInt64 = 0
        func flush() throws(StoreError) {
            var written = 0
            while written < buffer.count {
                let result = buffer.withUnsafeBytes { pwrite(fd, $0.baseAddress! + written, $0.count - written, off_t(offset + written)) }
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else {
                    throw StoreError(.unavailable, "cannot write: \(String(cString: strerror(errno)))", path: temporary, offset: offset + written)
                }
                written += result
            }
            offset += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        try items { (payload: [UInt8]) throws(StoreError) in
            JournalFormat.append(UInt32(payload.count), to: &buffer)
            JournalFormat.append(CRC32C.checksum(payload), to: &buffer)
            buffer += payload
            count += 1
            if buffer.count >= 1 << 20 { try flush() }
        }
        try flush()
        var header = self.magic
        JournalFormat.append(self.version, to: &header)
        JournalFormat.append64(sequence, to: &header)
        JournalFormat.append64(count, to: &header)
        JournalFormat.append64(UInt64(offset - self.headerSize), to: &header)
        JournalFormat.append(CRC32C.checksum(header), to: &header)
        guard pwrite(fd, header, header.count, 0) == header.count, fsync(fd) == 0 else {
            throw StoreError(.unavailable, "cannot finish: \(String(cString: strerror(errno)))", path: temporary)
        }
        Glibc.close(fd)
        closed = true
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StoreError(.unavailable, "cannot rename: \(String(cString: strerror(errno)))", path: path)
        }
        guard Journal.syncDirectory(directory) else {
            throw StoreError(.unavailable, "cannot sync the directory: \(String(cString: strerror(errno)))", path: directory)
        }
        return (path, offset)
    }

    /// Reads and verifies a snapshot; `each` gets every item payload in order. Any damage is
    /// an error naming the file and the offset.
    public static func read(
        _ path: String, start: (_ items: UInt64) -> Void = { _ in }, each: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (sequence: UInt64, items: UInt64) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(.unavailable, "cannot open: \(String(cString: strerror(errno)))", path: path) }
        defer { Glibc.close(fd) }
        var stats = stat()
        guard fstat(fd, &stats) == 0 else { throw StoreError(.unavailable, "cannot stat", path: path) }
        let size = Int(stats.st_size)
        guard size >= self.headerSize else { throw StoreError(.corrupt, "shorter than a snapshot header", path: path, offset: size) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw StoreError(.unavailable, "cannot map: \(String(cString: strerror(errno)))", path: path)
        }
        defer { munmap(base, size) }
        let bytes = UnsafeRawBufferPointer(start: base, count: size)
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[at + $1]) } }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[at + $1]) } }
        guard bytes[0..<4].elementsEqual(self.magic) else { throw StoreError(.corrupt, "not a FindReviewer snapshot (bad magic)", path: path) }
        guard CRC32C.checksum(Array(bytes[0..<32])) == u32(32) else {
            throw StoreError(.corrupt, "snapshot header checksum mismatch", path: path, offset: 32)
        }
        let version = u32(4)
        guard version == self.version else {
            throw StoreError(.unsupportedVersion, "snapshot format version \(version); this build reads version \(self.version)", path: path, offset: 4)
        }
        let sequence = u64(8)
        let count = u64(16)
        let bodyLength = Int(u64(24))
        guard bodyLength == size - self.headerSize else {
            throw StoreError(.corrupt, "body is \(size - self.headerSize) bytes, header says \(bodyLength)", path: path, offset: 24)
        }
        start(count)
        var offset = self.headerSize
        var seen: UInt64 = 0
        while offset < size {
            guard offset + 8 <= size else { throw StoreError(.corrupt, "truncated item header", path: path, offset: offset) }
            let length = Int(u32(offset))
            guard offset + 8 + length <= size else { throw StoreError(.corrupt, "item runs past the end", path: path, offset: offset) }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<(offset + 8 + length)])
            guard CRC32C.checksum(payload) == u32(offset + 4) else {
                throw StoreError(.corrupt, "item checksum mismatch", path: path, offset: offset)
            }
            do {
                try each(payload)
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.corrupt, "item is not valid: \(error)", path: path, offset: offset)
            }
            offset += 8 + length
            seen += 1
        }
        guard seen == count else { throw StoreError(.corrupt, "\(seen) items, header says \(count)", path: path, offset: offset) }
        return (sequence, count)
    }
}
