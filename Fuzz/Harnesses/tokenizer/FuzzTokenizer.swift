import Foundation
import GGUF
import Tokenizer

/// libFuzzer target: arbitrary bytes through real tokenizers, both ways.
///
/// The vocabularies are real llama.cpp vocab-only GGUF files, listed in `PARLEY_FUZZ_VOCABS`
/// (colon-separated; `fuzz.sh` finds them). The first input byte picks a vocabulary and the
/// flags; the rest is
/// - encoded as UTF-8 bytes (arbitrary, so also invalid UTF-8), with and without special-token
///   parsing: every id must lie in the vocabulary; for byte-level BPE and valid UTF-8 without
///   special parsing, decoding the ids must give the text back exactly, unless the text holds a
///   byte the vocabulary has no token for (SmolLM2 has none for 21 bytes, 0x04 and 0x06 among
///   them): llama.cpp drops those bytes, and so does Parley;
/// - read as little-endian Int32 ids (any value, also out of range) and decoded: streaming them
///   through `TokenStreamDecoder` must give exactly what `decode` gives.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = data[0]
    let tokenizer = tokenizers[Int(control & 0x0F) % tokenizers.count]
    let parseSpecial = control & 0x10 != 0
    let special = control & 0x20 != 0
    let text = UnsafeBufferPointer(start: data + 1, count: size - 1)

    // Inputs are at most a few KiB (max_len), far under the tokenizer's input limit: a throw is a bug.
    let ids = encodeOrDie(tokenizer, text, addSpecial: control & 0x40 != 0, parseSpecial: parseSpecial)
    for id in ids where id < 0 || Int(id) >= tokenizer.vocabularySize {
        fatalError("encode gave id \(id) outside a vocabulary of \(tokenizer.vocabularySize)")
    }
    if tokenizer.model == .bytePairEncoding, !parseSpecial, let string = String(validating: text, as: UTF8.self),
        !text.contains(where: { bytesWithoutToken[ObjectIdentifier(tokenizer)]?.contains($0) ?? true })
    {
        let plain = encodeOrDie(tokenizer, text, addSpecial: false, parseSpecial: false)
        let decoded = tokenizer.decode(plain, special: false)
        if decoded != string {
            fatalError("BPE round trip of \(string.debugDescription) gave \(decoded.debugDescription) via \(plain)")
        }
    }

    var arbitrary: [Int32] = []
    arbitrary.reserveCapacity(text.count / 4)
    var offset = 0
    while offset + 4 <= text.count {
        arbitrary.append(
            Int32(
                bitPattern: UInt32(text[offset]) | UInt32(text[offset + 1]) << 8
                    | UInt32(text[offset + 2]) << 16 | UInt32(text[offset + 3]) << 24))
        offset += 4
    }
    for list in [ids, arbitrary] {
        let whole = tokenizer.decode(list, special: special)
        var stream = TokenStreamDecoder(tokenizer: tokenizer, special: special)
        var streamed = ""
        for id in list { streamed += stream.push(id) }
        streamed += stream.flush()
        if streamed != whole {
            fatalError("streamed \(streamed.debugDescription) but decode gave \(whole.debugDescription)")
        }
        for id in list.prefix(64) { _ = tokenizer.piece(id, special: special) }
    }
    return 0
}

/// Loads the vocabularies before fuzzing starts, so their loading (seconds under ASan for the
/// 128k-token Llama 3 vocabulary) does not count against the first input's timeout.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzTokenizerInitialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    _ = bytesWithoutToken // loads `tokenizers` too
    return 0
}

/// The tokenizers of the vocabularies in `PARLEY_FUZZ_VOCABS`, loaded once per process.
let tokenizers: [Tokenizer] = {
    let list = ProcessInfo.processInfo.environment["PARLEY_FUZZ_VOCABS"] ?? ""
    let paths = list.split(separator: ":").map(String.init)
    guard !paths.isEmpty else {
        fatalError("PARLEY_FUZZ_VOCABS lists no vocab GGUF file (run through Scripts/fuzz.sh)")
    }
    return paths.map { path in
        do { return try Tokenizer(gguf: GGUFFile(path: path)) } catch {
            fatalError("cannot load the tokenizer of \(path): \(error)")
        }
    }
}()

/// Per byte-level BPE tokenizer, the bytes whose GPT-2 character is not in its vocabulary.
let bytesWithoutToken: [ObjectIdentifier: Set<UInt8>] = {
    var result: [ObjectIdentifier: Set<UInt8>] = [:]
    for tokenizer in tokenizers where tokenizer.model == .bytePairEncoding {
        result[ObjectIdentifier(tokenizer)] = Set(
            (0...255).filter { tokenizer.tokenID(forText: gpt2Character($0)) == nil }.map { UInt8($0) })
    }
    return result
}()

/// GPT-2's byte-to-character mapping: printable Latin-1 bytes stand for themselves, the other
/// 68 bytes map in order to U+0100 onwards.
func gpt2Character(_ byte: Int) -> String {
    let printable = { (b: Int) in (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) }
    if printable(byte) { return String(UnicodeScalar(UInt8(byte))) }
    let rank = (0..<byte).filter { !printable($0) }.count
    return String(Character(Unicode.Scalar(UInt32(256 + rank)) ?? "?"))
}

/// `tokenizer.encode`, where refusing the input would itself be a defect (it is far under the limit).
func encodeOrDie(
    _ tokenizer: Tokenizer, _ text: UnsafeBufferPointer<UInt8>, addSpecial: Bool,
    parseSpecial: Bool
) -> [Int32] {
    do {
        return try tokenizer.encode(utf8: text.span, addSpecial: addSpecial, parseSpecial: parseSpecial)
    } catch {
        fatalError("encode refused \(text.count) bytes: \(error)")
    }
}
