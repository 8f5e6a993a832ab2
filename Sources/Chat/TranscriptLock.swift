import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive claim on one transcript, so two Parley processes never both load it, answer,
/// and save: the second would silently drop the first one's turn.
///
/// The lock is `flock` on a sidecar file beside the transcript's final target (symbolic links
/// followed, so two names for one file share one lock): `chat.json` is guarded by
/// `.chat.json.lock`, which holds the holder's process id for error messages. The kernel drops
/// the lock when the process ends, however it ends, so a crash never leaves a transcript locked.
/// The sidecar file itself stays (removing it would race with a process about to lock it).
public final class TranscriptLock: Sendable {
    /// The transcript this lock guards.
    public let url: URL
    private let descriptor: Int32

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    deinit {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The sidecar lock file of the transcript at `url`.
    public static func lockURL(for url: URL) -> URL {
        let target = (try? AtomicFile.resolveSymlinks(url.path)).map { URL(fileURLWithPath: $0) } ?? url
        return target.deletingLastPathComponent().appendingPathComponent("." + target.lastPathComponent + ".lock")
    }

    /// Claims the transcript at `url`, retrying for up to `wait` while another process holds it.
    ///
    /// - Returns: the lock, held until it is released or deinitialized; nil when no lock file can
    ///   be made (a read-only folder: nothing can be saved there either, which the save reports).
    /// - Throws: `ChatError.transcriptInUse` naming the file (and the holder's process id) when
    ///   another process still holds it after `wait`.
    public static func acquire(_ url: URL, wait: Duration = .zero) throws(ChatError) -> TranscriptLock? {
        let lockPath = lockURL(for: url).path
        try? FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: lockPath).deletingLastPathComponent().path, withIntermediateDirectories: true)
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return nil }
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            if failure == EINTR { continue }
            guard failure == EWOULDBLOCK, clock.now < deadline else {
                let holder = readHolder(fd)
                close(fd)
                if failure != EWOULDBLOCK { return nil } // a file system without flock: go on unlocked
                throw .transcriptInUse(path: url.path, holder: holder)
            }
            usleep(50_000)
        }
        let lock = TranscriptLock(url: url, descriptor: fd)
        let pid = Data("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return lock
    }

    /// The process id the holder wrote into the lock file, if it is there.
    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
