import TestSupport

/// Seeded random damage to a file's bytes, biased towards the places where the reader takes
/// lengths, counts, types and offsets from the file.
///
/// Each mutation applies one to three edits: a byte XOR, an overwrite of a u64 or u32 with a
/// boundary value, a truncation, an insertion or a deletion. Overwrites land on a known field
/// boundary (from `GGUFWriter.Layout`) most of the time, otherwise anywhere.
struct Mutator {
    /// The u64 values that break arithmetic most often: zero, one, and the edges of the signed
    /// and unsigned 32- and 64-bit ranges.
    static let boundaryU64: [UInt64] = [0, 1, 1 << 31, (1 << 32) - 1, 1 << 32, 1 << 63, .max, .max - 7]
    static let boundaryU32: [UInt32] = [0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 31, 42, 1 << 31, .max]

    private var random: SeededRandom
    private let boundaries: [Int]

    init(seed: UInt64, boundaries: [Int]) {
        random = SeededRandom(seed: seed)
        self.boundaries = boundaries
    }

    mutating func mutate(_ original: [UInt8]) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            guard !bytes.isEmpty else { break }
            switch random.next() % 6 {
            case 0:
                let at = Int.random(in: 0..<bytes.count, using: &random)
                bytes[at] ^= UInt8.random(in: 1...255, using: &random)
            case 1:
                let value = Self.boundaryU64.randomElement(using: &random) ?? 0
                overwrite(
                    &bytes, at: fieldPosition(in: bytes), with: withUnsafeBytes(of: value.littleEndian) { Array($0) })
            case 2:
                let value = Self.boundaryU32.randomElement(using: &random) ?? 0
                overwrite(
                    &bytes, at: fieldPosition(in: bytes), with: withUnsafeBytes(of: value.littleEndian) { Array($0) })
            case 3:
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
            case 4:
                let at = Int.random(in: 0...bytes.count, using: &random)
                let inserted = (0..<Int.random(in: 1...16, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
                bytes.insert(contentsOf: inserted, at: at)
            default:
                let at = Int.random(in: 0..<bytes.count, using: &random)
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &random)))
            }
        }
        return bytes
    }

    /// A known field start three times out of four (shifted by 0, 4 or 8 bytes to reach the
    /// fields inside a record), otherwise any position.
    private mutating func fieldPosition(in bytes: [UInt8]) -> Int {
        if !boundaries.isEmpty, random.next() % 4 != 0, let base = boundaries.randomElement(using: &random) {
            return base + [0, 0, 4, 8].randomElement(using: &random, default: 0)
        }
        return Int.random(in: 0..<bytes.count, using: &random)
    }

    private func overwrite(_ bytes: inout [UInt8], at position: Int, with value: [UInt8]) {
        for (index, byte) in value.enumerated() where position + index < bytes.count {
            bytes[position + index] = byte
        }
    }
}

extension Array {
    fileprivate func randomElement(using random: inout SeededRandom, default fallback: Element) -> Element {
        randomElement(using: &random) ?? fallback
    }
}
