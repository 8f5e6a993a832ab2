/// Cuts an over-long word into pieces that are merged one by one, bounding the work per word.
///
/// BPE and SentencePiece merging keep a few arrays and a heap entry per byte of the word they
/// merge, about 50-70 bytes per input byte. llama.cpp merges a word however long it is, so one
/// 20 MB word (a pasted base64 blob, a run of one character) cost it, and Parley, over a
/// gigabyte. Parley instead merges words longer than `maxBytes` in consecutive pieces of at most
/// that many bytes, cut before a UTF-8 lead byte. Ordinary words are far shorter, so their tokens
/// stay exactly llama.cpp's; only words beyond the limit can differ, and only near the cuts.
enum LongWordSplitter {
    /// The longest word merged in one piece: 64 KiB, a few megabytes of merge state at most.
    static let maxBytes = 1 << 16

    /// Consecutive ranges covering `0..<count` of `bytes`, each at most `maxBytes` long, cut where
    /// the next byte is not a UTF-8 continuation byte (when there is one within the last three
    /// bytes of the piece). Only words over `maxBytes` get here, so the array costs nothing.
    static func pieces(of bytes: Span<UInt8>, maxBytes: Int = maxBytes) -> [Range<Int>] {
        precondition(maxBytes >= 4, "a piece must hold a whole UTF-8 character")
        var pieces: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            var end = min(start + maxBytes, bytes.count)
            if end < bytes.count {
                var cut = end
                while cut > end - 3 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
                if bytes[cut] & 0xC0 != 0x80 { end = cut }
            }
            pieces.append(start..<end)
            start = end
        }
        return pieces
    }
}
