import Foundation
import Inference

/// Reads the text a command tokenizes, refusing more than the tokenizer accepts before reading
/// it all: a 200 MB file or stream costs reading 8 MiB and an error, not 200 MB (and copies).
enum InputText {
    /// The contents of `path` as text (invalid UTF-8 repaired), if within `Tokenizer.maxInputBytes`.
    static func read(file path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RuntimeError("cannot read \(path)") }
        defer { try? handle.close() }
        return try read(handle, name: path)
    }

    /// Standard input as text, if within `Tokenizer.maxInputBytes`.
    static func readStandardInput() throws -> String {
        try read(FileHandle.standardInput, name: "standard input")
    }

    /// Reads at most one byte more than the limit, so an endless or huge stream is cut short.
    private static func read(_ handle: FileHandle, name: String) throws -> String {
        let limit = Tokenizer.maxInputBytes
        var data = Data()
        do {
            while data.count <= limit, let chunk = try handle.read(upToCount: min(1 << 20, limit + 1 - data.count)),
                !chunk.isEmpty
            {
                data.append(chunk)
            }
        } catch {
            throw RuntimeError("cannot read \(name): \(error.localizedDescription)")
        }
        if data.count > limit {
            // A regular file's size is known; a stream's only to be beyond the limit.
            guard let size = (try? FileManager.default.attributesOfItem(atPath: name))?[.size] as? Int else {
                throw RuntimeError(
                    "\(name): the text is more than \(limit) bytes (\(limit >> 20) MiB), the most Parley "
                        + "tokenizes at once; shorten it")
            }
            throw RuntimeError("\(name): " + TokenizerError.inputTooLarge(bytes: size, limit: limit).description)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
