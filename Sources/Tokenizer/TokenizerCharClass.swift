/// The class of a code point as the pre-tokenizer regexes see it.
///
/// The GPT-2 family of split patterns only asks whether a character is a letter (`\p{L}`), a
/// number (`\p{N}`), whitespace (`\s`) or none of these; the `default` and `falcon` patterns also
/// ask for punctuation (`\p{P}`). One byte per code point answers all of them.
enum TokenizerCharClass: UInt8, Sendable {
    case other = 0
    case letter = 1
    case number = 2
    case whitespace = 3
    case punctuation = 4

    /// True for the characters `[^\s\p{L}\p{N}]` matches.
    @inline(__always)
    var isOtherOrPunctuation: Bool { self == .other || self == .punctuation }

    /// The class of a Unicode scalar value (any value; above U+10FFFF is `other`).
    @inline(__always)
    static func of(_ scalar: UInt32) -> TokenizerCharClass {
        if scalar < 0x10000 {
            return TokenizerCharClass(rawValue: basicPlane[Int(scalar)]) ?? .other
        }
        return supplementary(scalar)
    }

    /// One class byte for each code point of the Basic Multilingual Plane, built once from the
    /// generated ranges: 64 KiB buys a single load for nearly all text.
    private static let basicPlane: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        let ranges = TokenizerUnicodeTable.packedRanges
        for index in ranges.indices {
            let start = Int(ranges[index] >> 3)
            guard start < 0x10000 else { break }
            let end = index + 1 < ranges.count ? min(Int(ranges[index + 1] >> 3), 0x10000) : 0x10000
            let cls = UInt8(ranges[index] & 7)
            for scalar in start..<end { table[scalar] = cls }
        }
        return table
    }()

    /// Binary search in the generated ranges for scalars beyond the BMP (emoji, rare scripts).
    private static func supplementary(_ scalar: UInt32) -> TokenizerCharClass {
        let ranges = TokenizerUnicodeTable.packedRanges
        var low = 0
        var high = ranges.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if ranges[mid] >> 3 <= scalar { low = mid } else { high = mid - 1 }
        }
        guard scalar <= 0x10FFFF else { return .other }
        return TokenizerCharClass(rawValue: UInt8(ranges[low] & 7)) ?? .other
    }
}

/// One decoded character of UTF-8 text: its scalar value, its byte length and its class.
struct TokenizerChar {
    var scalar: UInt32
    var length: Int
    var cls: TokenizerCharClass

    /// Decodes the character starting at `position` (which must be before `end`).
    ///
    /// Input comes from Swift strings and is valid UTF-8; still, a malformed or truncated sequence
    /// decodes as a one-byte U+FFFD of class `other` rather than reading past `end`.
    @inline(__always)
    static func decode(_ text: Span<UInt8>, _ position: Int, _ end: Int) -> TokenizerChar {
        let lead = text[position]
        if lead < 0x80 {
            return TokenizerChar(scalar: UInt32(lead), length: 1, cls: asciiClass(lead))
        }
        var length = 0
        var scalar: UInt32 = 0
        if lead & 0xE0 == 0xC0 {
            length = 2
            scalar = UInt32(lead & 0x1F)
        } else if lead & 0xF0 == 0xE0 {
            length = 3
            scalar = UInt32(lead & 0x0F)
        } else if lead & 0xF8 == 0xF0 {
            length = 4
            scalar = UInt32(lead & 0x07)
        }
        guard length > 0, position + length <= end else {
            return TokenizerChar(scalar: 0xFFFD, length: 1, cls: .other)
        }
        for offset in 1..<length {
            let byte = text[position + offset]
            guard byte & 0xC0 == 0x80 else { return TokenizerChar(scalar: 0xFFFD, length: 1, cls: .other) }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        return TokenizerChar(scalar: scalar, length: length, cls: .of(scalar))
    }

    /// The class of an ASCII byte, without a table look-up for the common letters and digits.
    @inline(__always)
    static func asciiClass(_ byte: UInt8) -> TokenizerCharClass {
        switch byte {
        case 0x61...0x7A, 0x41...0x5A: return .letter
        case 0x30...0x39: return .number
        case 0x20, 0x09...0x0D: return .whitespace
        case 0x21...0x23, 0x25...0x2A, 0x2C...0x2F, 0x3A, 0x3B, 0x3F, 0x40, 0x5B...0x5D, 0x5F, 0x7B, 0x7D:
            return .punctuation
        default: return .other
        }
    }
}
