import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file's contents all at once: a reader (or a crash) sees the old bytes or the new
/// ones, never a mix, and a failed write (full disk, read-only folder) leaves the old file as is.
///
/// The replacement keeps what the person set on the file: its permission bits and, where the
/// process may, its owner and group (a `chmod 600` transcript stays private). A symbolic link is
/// written through: the new bytes replace the link's final target, atomically in the target's
/// folder, and the link stays a link. New files are created `0600`, since conversations are private.
public enum AtomicFile {
    /// The mode of a file that did not exist before.
    static let newFileMode: mode_t = 0o600

    public static func write(_ data: Data, to url: URL) throws(ChatError) {
        let path = url.path
        let target = try resolveSymlinks(path)
        let targetURL = URL(fileURLWithPath: target)
        let folder = targetURL.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .transcriptIO(path: path, reason: "cannot create folder \(folder): \(error.localizedDescription)")
        }
        var existing = stat()
        let exists = lstat(target, &existing) == 0
        if exists && (existing.st_mode & S_IFMT) != S_IFREG {
            throw .transcriptIO(path: path, reason: "not a regular file")
        }
        let temporary =
            folder + "/." + targetURL.lastPathComponent + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, newFileMode)
        guard fd >= 0 else { throw .transcriptIO(path: path, reason: Self.lastError()) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        if exists {
            // Owner first: chown may clear set-id bits, which the chmod after it restores.
            _ = fchown(fd, existing.st_uid, existing.st_gid) // EPERM for another owner: keep ours
            _ = fchmod(fd, existing.st_mode & 0o7777)
        } else {
            _ = fchmod(fd, newFileMode)
        }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                guard let base = buffer.baseAddress else { return false }
                let result = Glibc.write(fd, base + offset, buffer.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += result
            }
            return true
        }
        let writeError = written ? nil : lastError()
        let synced = written && fsync(fd) == 0
        let syncError = synced ? nil : (writeError ?? lastError())
        close(fd)
        guard synced else { throw .transcriptIO(path: path, reason: syncError ?? "write failed") }
        guard rename(temporary, target) == 0 else { throw .transcriptIO(path: path, reason: lastError()) }
        ok = true
        let dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// The file `path` finally names: symbolic links followed (relative ones from the link's
    /// folder), at most 40 of them as the kernel allows. A dangling link gives its target, so
    /// the first save through it creates the file it points to.
    static func resolveSymlinks(_ path: String) throws(ChatError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, Int(PATH_MAX))
            guard count > 0 else { throw .transcriptIO(path: path, reason: "cannot read the link: \(lastError())") }
            let destination = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current =
                destination.hasPrefix("/")
                ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        throw .transcriptIO(path: path, reason: "too many levels of symbolic links")
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
