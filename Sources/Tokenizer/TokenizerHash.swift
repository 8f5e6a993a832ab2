#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fast, non-cryptographic hash of short byte strings for the tokenizer's look-up tables.
///
/// Token texts and pre-token words are short (a few to a few dozen bytes), so the hash reads eight
/// bytes per step and mixes with multiplications; it needs no seed because the tables it feeds
/// hold data from the model file and the user, never an adversary's choice of keys worth the cost.
enum TokenizerHash {
    @inline(__always)
    static func hash(_ key: Span<UInt8>) -> UInt64 {
        let count = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: count) &* 0xFF51_AFD7_ED55_8CCD)
        guard count > 0 else { return h }
        var offset = 0
        // RawSpan's loads are bounds-checked (and "unsafe" only in that any bit pattern is a UInt64).
        let raw = key.bytes
        while offset + 8 <= count {
            let word = raw.unsafeLoadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = (h ^ word) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
            offset += 8
        }
        if offset < count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(key[offset]) << shift
                shift += 8
                offset += 1
            }
            h = (h ^ word) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 33)
    }

    /// Whether `key` equals the `key.count` bytes of `arena` from `start`. The range is checked
    /// (`extracting` traps outside `arena`) before `memcmp` compares two buffers of one length.
    @inline(__always)
    static func equal(_ key: Span<UInt8>, _ arena: Span<UInt8>, at start: Int) -> Bool {
        let count = key.count
        let stored = arena.extracting(start..<(start + count))
        return key.withUnsafeBufferPointer { a in
            stored.withUnsafeBufferPointer { b in
                guard let a = a.baseAddress, let b = b.baseAddress else { return true } // both empty
                return memcmp(a, b, count) == 0
            }
        }
    }

    /// A well-mixed hash of a 64-bit key (a pair of token ids).
    @inline(__always)
    static func mix(_ key: UInt64) -> UInt64 {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 29)
    }

    /// The smallest power of two at least `count * 2` (a load factor at most one half).
    static func capacity(for count: Int) -> Int {
        var capacity = 16
        while capacity < count * 2 { capacity <<= 1 }
        return capacity
    }
}
