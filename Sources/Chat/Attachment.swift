import Foundation

/// A text file attached to a message (`/file PATH` in the chat, `parley run -f FILE`).
///
/// The file's text goes into the message itself, under a header with its name, so the model,
/// the transcript (OpenAI-shaped `content`) and every other reader see exactly the same thing;
/// `Attachment.compose` is the one place that decides the layout, and `split` reads it back.
public struct Attachment: Sendable, Equatable {
    /// The file's name as shown in the header (the last path component).
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The largest file attached: what the tokenizer takes at once (`Tokenizer.maxInputBytes`,
    /// 8 MiB). Anything larger could never fit a context window anyway.
    public static let maxBytes = 8 << 20
    /// How much of a file's start is looked at to tell binary files from text.
    static let sniffBytes = 8192

    /// Reads the text file at `path`, refusing folders, files over `maxBytes`, binary files
    /// (a NUL byte in the first 8 KiB) and text that is not UTF-8 (with the offset of the
    /// first bad byte), each with a message that names the file. Reads at most `maxBytes + 1`.
    public static func read(path: String) throws(ChatError) -> Attachment {
        let expanded = (path as NSString).expandingTildeInPath
        func refuse(_ reason: String) -> ChatError { .attachmentRefused(path: path, reason: reason) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) else {
            throw refuse("no such file")
        }
        if isDirectory.boolValue { throw refuse("it is a folder") }
        guard let handle = FileHandle(forReadingAtPath: expanded) else { throw refuse("permission denied") }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxBytes + 1) ?? Data() } catch {
            throw refuse(error.localizedDescription)
        }
        if data.count > maxBytes {
            let size = (try? FileManager.default.attributesOfItem(atPath: expanded))?[.size] as? Int ?? data.count
            throw refuse("it is \(size) bytes, more than the \(maxBytes) bytes (\(maxBytes >> 20) MiB) Parley attaches")
        }
        let bytes = [UInt8](data)
        if bytes.prefix(sniffBytes).contains(0) { throw refuse("it is a binary file, not text") }
        let text: String
        switch UTF8Check.firstInvalidOffset(bytes) {
        case nil: text = String(decoding: bytes, as: UTF8.self)
        case let offset?:
            let hex = String(bytes[offset], radix: 16, uppercase: true)
            throw refuse(
                "it is not UTF-8 text (byte 0x\(hex.count < 2 ? "0" + hex : hex) at offset \(offset)); "
                    + "convert it first, e.g. with iconv -t UTF-8")
        }
        let name = URL(fileURLWithPath: expanded).lastPathComponent
        return Attachment(name: name, text: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    }

    /// The header line before an attachment's text.
    static func header(_ name: String) -> String { "Attached file: \(name)" }

    /// The message text for `typed` with `attachments` before it: each file under its header,
    /// fenced with more backticks than any run inside it, so Markdown readers show it verbatim.
    public static func compose(typed: String, attachments: [Attachment]) -> String {
        var parts = attachments.map { attachment -> String in
            let fence = String(repeating: "`", count: max(3, longestBacktickRun(attachment.text) + 1))
            let body = attachment.text.hasSuffix("\n") ? String(attachment.text.dropLast()) : attachment.text
            return "\(header(attachment.name))\n\(fence)\n\(body)\n\(fence)"
        }
        if !typed.isEmpty { parts.append(typed) }
        return parts.joined(separator: "\n\n")
    }

    /// The names of the files attached in a message composed by `compose`, in order, and the
    /// text typed after them.
    public static func split(_ content: String) -> (names: [String], typed: String) {
        var names: [String] = []
        var lines = content.split(separator: "\n", omittingEmptySubsequences: false)[...]
        let prefix = "Attached file: "
        while let line = lines.first, line.hasPrefix(prefix), lines.count >= 2 {
            let fence = lines[lines.startIndex + 1]
            guard fence.count >= 3, fence.allSatisfy({ $0 == "`" }) else { break }
            names.append(String(line.dropFirst(prefix.count)))
            lines = lines.dropFirst(2)
            guard let end = lines.firstIndex(of: fence) else { break }
            lines = lines[(end + 1)...].drop { $0.isEmpty }
        }
        return (names, names.isEmpty ? content : lines.joined(separator: "\n"))
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var run = 0
        for byte in text.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}

/// Strict UTF-8 validation that reports where the text goes wrong.
enum UTF8Check {
    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence
    /// (overlong forms, surrogates and values past U+10FFFF included), or nil for valid text.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F:
                index += 1
                continue
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for offset in 1..<length {
                let byte = bytes[index + offset]
                let (min, max) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= min && byte <= max else { return index }
            }
            index += length
        }
        return nil
    }
}
