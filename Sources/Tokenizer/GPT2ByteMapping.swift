/// GPT-2's reversible map between bytes and printable Unicode characters.
///
/// Byte-level BPE vocabularies store token text with every byte replaced by a printable
/// character: the printable Latin-1 bytes (`!`...`~`, `¡`...`¬`, `®`...`ÿ`) stand for themselves,
/// the other 68 bytes take U+0100 onwards in byte order (so a space is `Ġ`, U+0120).
enum GPT2ByteMapping {
    /// The scalar value that stands for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isSelfMapped(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each scalar below U+0144 stands for, or -1; every mapped scalar is below U+0144.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for byte in 0..<256 { table[Int(scalarForByte[byte])] = Int16(byte) }
        return table
    }()

    /// The UTF-8 encoding of the character standing for each byte (one or two bytes).
    static let utf8ForByte: [[UInt8]] = scalarForByte.map { scalar in
        scalar < 0x80 ? [UInt8(scalar)] : [UInt8(0xC0 | scalar >> 6), UInt8(0x80 | scalar & 0x3F)]
    }

    /// The byte a scalar stands for, if it is one of the 256 mapped characters.
    @inline(__always)
    static func byte(for scalar: UInt32) -> UInt8? {
        guard scalar < 0x144 else { return nil }
        let value = byteForScalar[Int(scalar)]
        return value >= 0 ? UInt8(value) : nil
    }

    private static func isSelfMapped(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
