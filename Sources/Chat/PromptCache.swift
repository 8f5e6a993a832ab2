import Foundation

/// The KV cache of a conversation saved beside it, so `parley run --continue` in a new process
/// evaluates only the new turn instead of the whole history.
///
/// It is only a cache: a file that is missing, foreign (another model or geometry) or damaged
/// is ignored and the prompt is simply evaluated in full. Files live in
/// `$XDG_CACHE_HOME/parley/prompt-cache/`, named after the transcript's path.
///
/// Only the local backend writes one (its file layout is in LocalChat); the app needs the path
/// to restore, move and delete it beside its transcript.
public enum PromptCache {
    /// Where the cache of the transcript at `transcript` lives.
    public static func url(for transcript: URL, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL
    {
        // FNV-1a of the full path keeps same-named transcripts in different folders apart.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in transcript.standardizedFileURL.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let name = "\(transcript.lastPathComponent).\(String(hash, radix: 16)).kv"
        return Paths.cacheHome(environment: environment).appendingPathComponent("parley/prompt-cache/\(name)")
    }
}
