import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file's contents all at once: a reader (or a crash) sees the old bytes or the new
/// ones, never a mix, and a failed write (full disk, read-only folder) leaves the old file as is.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws(ChatError) {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .transcriptIO(path: path, reason: "cannot create folder \(folder): \(error.localizedDescription)")
        }
        let temporary = folder + "/." + url.lastPathComponent + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .transcriptIO(path: path, reason: Self.lastError()) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
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
        guard rename(temporary, path) == 0 else { throw .transcriptIO(path: path, reason: lastError()) }
        ok = true
        let dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
