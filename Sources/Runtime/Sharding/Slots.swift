/// The key space of a sharded deployment: a business id hashes to one of 16,384 slots, the way
/// Redis Cluster hashes keys (CRC-16/XMODEM of the key's UTF-8 bytes, modulo 16,384). Every
/// request, review, report and email belongs to one business, so the business id is the key.
public enum Slots {
    /// How many slots there are; fixed, so that maps of any size agree on the hash.
    public static let count = 16_384

    /// The slot of a business id: `CRC16(utf8(id)) mod 16384`.
    public static func slot(ofBusiness id: String) -> Int {
        Int(self.crc16(id.utf8)) & (self.count - 1)
    }

    /// CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection): `crc16("123456789")` is 0x31C3.
    public static func crc16<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        var crc: UInt16 = 0
        for byte in bytes { crc = (crc << 8) ^ self.table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)] }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
