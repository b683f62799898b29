import CSystemShims

/// CRC-32C (Castagnoli), the checksum of every journal record and snapshot item: the SSE4.2
/// instruction where the CPU has it, else a table (CSystemShims; the same values either way).
public enum CRC32C {
    /// The checksum of `bytes`, continuing from `crc` (0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        cshim_crc32c(crc, bytes.baseAddress, bytes.count)
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { self.checksum($0, continuing: crc) }
    }
}
