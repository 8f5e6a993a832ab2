import Foundation

/// Full-text search over saved conversations (the Ctrl+O browser's filter).
///
/// Each file's raw bytes are scanned first for the query as JSON would spell it (ASCII letters
/// compared without case), which rules most files out without decoding them; only files with a
/// hit are decoded, to confirm the hit is in a message (not in a key or a model name) and to cut
/// out the matching line as the preview. Work is one pass over each file plus one decode per
/// candidate, and files are taken in the order given (newest first), so the first results arrive
/// long before a big folder is done.
public enum TranscriptSearch {
    /// One conversation whose messages contain the query.
    public struct Hit: Sendable, Equatable {
        public var url: URL
        /// The matching line, trimmed and cut to `previewLength` characters around the match.
        public var preview: String

        public init(url: URL, preview: String) {
            self.url = url
            self.preview = preview
        }
    }

    /// Characters of context kept in a preview.
    public static let previewLength = 80

    /// Searches `urls` in order for `query`, calling `onBatch` with the hits so far after the
    /// first 25 files, then every `batchSize` files, and once at the end (`done` true). Stops early, without a final call,
    /// as soon as `shouldStop` says so (the person typed on).
    public static func run(
        _ query: String, in urls: [URL], batchSize: Int = 100, shouldStop: () -> Bool = { false },
        onBatch: ([Hit], _ done: Bool) -> Void
    ) {
        let needle = Needle(query)
        var hits: [Hit] = []
        for (index, url) in urls.enumerated() {
            if shouldStop() { return }
            if let hit = search(url, for: query, needle: needle) { hits.append(hit) }
            let searched = index + 1
            // A small first batch, so the newest matches show at once; then every `batchSize`.
            if (searched == min(25, batchSize) || searched % batchSize == 0) && searched < urls.count {
                onBatch(hits, false)
            }
        }
        onBatch(hits, true)
    }

    /// The hit in one file, if its messages contain `query`.
    static func search(_ url: URL, for query: String, needle: Needle) -> Hit? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int,
            size <= TranscriptStore.maxFileBytes, let data = try? Data(contentsOf: url),
            needle.occurs(in: data)
        else { return nil }
        guard let transcript = try? TranscriptStore.decode(data, path: url.path) else { return nil }
        let texts =
            [transcript.conversation.systemPrompt ?? ""]
            + transcript.conversation.messages.flatMap { message in message.answers.map(\.content) }
        for text in texts {
            if let preview = preview(of: text, query: query) { return Hit(url: url, preview: preview) }
        }
        return nil
    }

    /// The line of `text` holding `query` (case-insensitive), cut around the match.
    public static func preview(of text: String, query: String) -> String? {
        guard let range = text.range(of: query, options: [.caseInsensitive]) else { return nil }
        let lineStart =
            text[..<range.lowerBound].lastIndex(where: \.isNewline).map { text.index(after: $0) }
            ?? text.startIndex
        let lineEnd = text[range.upperBound...].firstIndex(where: \.isNewline) ?? text.endIndex
        let before = text[lineStart..<range.lowerBound]
        let after = text[range.upperBound..<lineEnd]
        let room = max(0, previewLength - text[range].count)
        let lead = before.count > room / 3 ? "…" + before.suffix(room / 3) : String(before)
        let tail = after.count > room - room / 3 ? String(after.prefix(room - room / 3)) + "…" : String(after)
        let line = (lead.trimmingLeadingSpaces() + text[range] + tail)
        return line.replacingOccurrences(of: "\t", with: " ")
    }

    /// The query's bytes as they appear inside a JSON string, matched with ASCII case folded.
    struct Needle {
        let bytes: [UInt8]

        init(_ query: String) {
            var escaped: [UInt8] = []
            for byte in query.utf8 {
                switch byte {
                case UInt8(ascii: "\""): escaped += Array(#"\""#.utf8)
                case UInt8(ascii: "\\"): escaped += Array(#"\\"#.utf8)
                case UInt8(ascii: "\n"): escaped += Array(#"\n"#.utf8)
                case UInt8(ascii: "\t"): escaped += Array(#"\t"#.utf8)
                case 0..<0x20: escaped += Array(String(format: "\\u%04x", byte).utf8)
                default: escaped.append(Self.fold(byte))
                }
            }
            bytes = escaped
        }

        static func fold(_ byte: UInt8) -> UInt8 {
            byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
        }

        /// Whether the needle occurs in `data`: a first-byte scan, then a compare at each candidate.
        func occurs(in data: Data) -> Bool {
            guard let first = bytes.first else { return true }
            let upper = first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") ? first & ~0x20 : first
            return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
                let count = raw.count
                guard count >= bytes.count else { return false }
                let last = count - bytes.count
                var index = 0
                while index <= last {
                    let byte = raw[index]
                    if byte == first || byte == upper {
                        var offset = 1
                        while offset < bytes.count && Self.fold(raw[index + offset]) == bytes[offset] { offset += 1 }
                        if offset == bytes.count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingLeadingSpaces() -> String {
        String(drop { $0 == " " })
    }
}
