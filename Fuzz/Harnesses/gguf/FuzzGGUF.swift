import GGUF
import Inference

/// libFuzzer target: arbitrary bytes as a GGUF model file.
///
/// Everything Parley does with a model file before evaluating it runs here: parse the header,
/// read every metadata value through the typed accessors, touch the first and last byte of every
/// tensor (the parser promised they lie inside the file; ASan checks the promise), then load the
/// model configuration, check the weight shapes and build the tokenizer, as `parley inspect` and
/// the chat do. Errors are the expected outcome; crashes, ASan reports, leaks, timeouts and
/// allocations beyond libFuzzer's `-malloc_limit_mb` are the findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? GGUFFile(bytes: bytes) else { return 0 }
    var checksum = 0
    for key in file.metadata.keys {
        checksum &+= file.metadata.string(key)?.utf8.count ?? 0
        checksum &+= file.metadata.int(key) ?? 0
        checksum &+= file.metadata.stringArray(key)?.count ?? 0
        checksum &+= file.metadata.intArray(key)?.count ?? 0
        checksum &+= file.metadata.floatArray(key)?.count ?? 0
    }
    for tensor in file.tensors {
        guard file.tensor(named: tensor.name) != nil else { fatalError("tensor \(tensor.name) not found by name") }
        let view = file.data(for: tensor)
        guard view.count == tensor.byteCount else { fatalError("view of \(tensor.name) has the wrong size") }
        if let first = view.first, let last = view.last { checksum &+= Int(first) &+ Int(last) }
    }
    if let model = try? LanguageModel(file: file) { checksum &+= model.config.trainedContextLength }
    if let tokenizer = try? Tokenizer(gguf: file) {
        let ids: [Int32]
        do { ids = try tokenizer.encode("Hello, world! <|im_start|> 你好 🙂", addSpecial: true, parseSpecial: true) } catch
        {
            fatalError("encode refused a short text: \(error)")
        }
        for id in ids where id < 0 || Int(id) >= tokenizer.vocabularySize {
            fatalError("token id \(id) outside a vocabulary of \(tokenizer.vocabularySize)")
        }
        checksum &+= tokenizer.decode(ids, special: true).utf8.count
    }
    blackHole(checksum)
    return 0
}

/// Keeps the checksum, and so the reads that produced it, from being optimised away.
@inline(never) @_optimize(none)
func blackHole(_ value: Int) {}
