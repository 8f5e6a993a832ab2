import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Reads and writes transcripts so that a conversation is never lost.
///
/// Saves are atomic (temp file, fsync, rename, fsync of the folder), so a crash or `kill -9`
/// leaves either the old file or the new one, both valid. A file that failed to load is never
/// overwritten: it may be a newer format or hand-edited, and the person's data comes first.
public final class TranscriptStore: Sendable {
    public let directory: URL
    /// Files that were read or written successfully in this process and so may be replaced.
    private let trusted = Mutex<Set<String>>([])

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$XDG_DATA_HOME/parley/transcripts`, default `~/.local/share/parley/transcripts`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        Paths.dataHome(environment: environment).appendingPathComponent("parley/transcripts", isDirectory: true)
    }

    /// The file a transcript is saved to by default: its id, in the store's folder.
    public func url(for transcript: Transcript) -> URL {
        directory.appendingPathComponent("\(transcript.id).json")
    }

    // MARK: Loading

    /// The largest transcript opened or listed: 16 MiB, twice the most text the tokenizer takes
    /// at once (`Tokenizer.maxInputBytes`) plus room for JSON escapes. A larger file is refused
    /// by its size alone, before it is read, so a huge file costs neither memory nor time.
    public static let maxFileBytes = 16 << 20

    /// Throws `transcriptTooLarge` when the file at `path` is larger than `maxFileBytes`.
    static func checkSize(_ path: String) throws(ChatError) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        guard size <= maxFileBytes else { throw .transcriptTooLarge(path: path, bytes: size, limit: maxFileBytes) }
    }

    public func load(_ url: URL) throws(ChatError) -> Transcript {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw .transcriptNotFound(path: path) }
        try Self.checkSize(path)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .transcriptUnreadable(path: path, reason: Self.readFailure(path: path, error))
        }
        let transcript = try Self.decode(data, path: path)
        remember(url)
        return transcript
    }

    static func decode(_ data: Data, path: String) throws(ChatError) -> Transcript {
        if let location = JSONErrorLocator.locate(in: Array(data)) {
            throw .transcriptMalformed(path: path, detail: location.description)
        }
        struct VersionProbe: Decodable { var version: Int }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Self.wholeSecondDates
        guard let probe = try? decoder.decode(VersionProbe.self, from: data) else {
            throw .transcriptMalformed(path: path, detail: "missing or non-integer \"version\"")
        }
        guard probe.version >= Transcript.oldestVersion else {
            throw .transcriptMalformed(
                path: path, detail: "\"version\" must be \(Transcript.oldestVersion) or more, got \(probe.version)")
        }
        guard probe.version <= Transcript.currentVersion else {
            throw .transcriptTooNew(path: path, version: probe.version, supported: Transcript.currentVersion)
        }
        let transcript: Transcript
        do {
            transcript = try decoder.decode(Transcript.self, from: data)
        } catch {
            throw .transcriptMalformed(path: path, detail: Self.describe(error))
        }
        // Values in range are part of the format: a bad one is the file's fault, named with the file.
        do { try transcript.conversation.parameters.validate() } catch {
            throw .transcriptMalformed(path: path, detail: "\"parameters\": \(error.description)")
        }
        return transcript
    }

    /// Why reading failed, in plain words (Foundation's own text for EACCES is vague).
    private static func readFailure(path: String, _ error: any Error) -> String {
        if access(path, R_OK) != 0 { return String(cString: strerror(errno)) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a folder"
        }
        return error.localizedDescription
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \"\(key.stringValue)\" at \(path(context).isEmpty ? "top level" : path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default: return String(describing: error)
        }
    }

    // MARK: Saving

    /// Writes `transcript` atomically to `url` (default: its id in the store's folder).
    @discardableResult
    public func save(_ transcript: Transcript, to url: URL? = nil) throws(ChatError) -> URL {
        let target = url ?? self.url(for: transcript)
        let path = target.path
        if FileManager.default.fileExists(atPath: path), !isTrusted(target) {
            // Only replace what we can read: a file we could not parse is somebody's data.
            _ = try load(target)
        }
        guard let data = Self.encode(transcript) else { throw .transcriptIO(path: path, reason: "cannot encode") }
        try AtomicFile.write(data, to: target)
        remember(target)
        return target
    }

    /// The file's bytes: pretty-printed JSON with sorted keys and a final newline.
    public static func encode(_ transcript: Transcript) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(transcript) else { return nil }
        return data + Data("\n".utf8)
    }

    /// `$XDG_DATA_HOME/parley/rescued`: where conversations go whose save failed as the app
    /// was ending (a signal cannot wait for the person to pick another path).
    public static func rescueDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        Paths.dataHome(environment: environment).appendingPathComponent("parley/rescued", isDirectory: true)
    }

    /// Writes `transcript` to a new file in `folder` (never replacing one) and returns it.
    public func rescue(_ transcript: Transcript, in folder: URL) throws(ChatError) -> URL {
        func taken(_ url: URL) -> Bool {
            var info = stat()
            return lstat(url.path, &info) == 0 // a dangling symlink counts: never written through
        }
        var url = folder.appendingPathComponent("\(transcript.id).json")
        var attempt = 1
        while taken(url) {
            attempt += 1
            url = folder.appendingPathComponent("\(transcript.id)-\(attempt).json")
        }
        guard let data = Self.encode(transcript) else { throw .transcriptIO(path: url.path, reason: "cannot encode") }
        try AtomicFile.write(data, to: url)
        return url
    }

    public func delete(_ url: URL) throws(ChatError) {
        do { try FileManager.default.removeItem(at: url) } catch {
            throw .transcriptIO(path: url.path, reason: error.localizedDescription)
        }
    }

    // MARK: Listing

    /// Every readable transcript in the folder, newest first. Unreadable files are skipped
    /// and reported in `failures` with their errors.
    ///
    /// Only what a row shows is decoded (title, date, model, number of messages): the text of
    /// the messages is never built, and files over `maxFileBytes` are not read at all.
    public func list() -> (summaries: [TranscriptSummary], failures: [ChatError]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return ([], []) }
        var summaries: [TranscriptSummary] = []
        var failures: [ChatError] = []
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            do {
                summaries.append(try Self.summary(of: url))
            } catch {
                failures.append(error)
            }
        }
        summaries.sort { $0.updated != $1.updated ? $0.updated > $1.updated : $0.title < $1.title }
        return (summaries, failures)
    }

    /// The browser row of one file; a file the summary cannot be read from is decoded fully
    /// for the precise error `load` would give.
    static func summary(of url: URL) throws(ChatError) -> TranscriptSummary {
        let path = url.path
        try checkSize(path)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .transcriptIO(path: path, reason: error.localizedDescription)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = Self.wholeSecondDates
        if let probe = try? decoder.decode(SummaryProbe.self, from: data), probe.version <= Transcript.currentVersion {
            return TranscriptSummary(
                url: url, title: probe.title, updated: probe.updated,
                messageCount: probe.messages.count, model: probe.model?.file)
        }
        let transcript = try decode(data, path: path)
        return TranscriptSummary(
            url: url, title: transcript.title, updated: transcript.updated,
            messageCount: transcript.conversation.messages.count, model: transcript.model?.file)
    }

    /// The fields of a transcript a browser row needs; messages are counted, not decoded.
    private struct SummaryProbe: Decodable {
        var version: Int
        var title: String
        var updated: Date
        var model: Transcript.ModelReference?
        var messages: [Skipped]

        /// A JSON value passed over without building it.
        struct Skipped: Decodable {
            init(from decoder: any Decoder) throws {}
        }
    }

    private func remember(_ url: URL) {
        trusted.withLock { _ = $0.insert(url.standardizedFileURL.path) }
    }

    private func isTrusted(_ url: URL) -> Bool {
        trusted.withLock { $0.contains(url.standardizedFileURL.path) }
    }
}
