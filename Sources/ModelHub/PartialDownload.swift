import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A download in progress: `models/.partial/NAME.part`, and beside it `NAME.part.json` saying
/// which object (sha256, size) the bytes belong to, so a resume never appends a newer version's
/// bytes to an older one's. The folder is inside the models folder, so the final move is a
/// rename on one file system: atomic, and never a half-written model under a model's name.
struct PartialDownload {
    struct Stamp: Codable, Equatable {
        var sha256: String
        var size: Int64
        var source: String
    }

    let path: String
    let stampPath: String
    let stamp: Stamp

    init(folder: URL, fileName: String, stamp: Stamp) {
        path = folder.appendingPathComponent(fileName + ".part").path
        stampPath = path + ".json"
        self.stamp = stamp
    }

    /// The bytes already downloaded for this very object; a partial file of another object, or
    /// longer than the object, is deleted first.
    func existingBytes() -> Int64 {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let saved = (try? Data(contentsOf: URL(fileURLWithPath: stampPath))).flatMap {
            try? JSONDecoder().decode(Stamp.self, from: $0)
        }
        if size > 0, saved == stamp, size <= stamp.size { return size }
        discard()
        return 0
    }

    /// Writes the stamp (before the first byte, so a Ctrl-C at any point leaves a resumable pair).
    func writeStamp() throws(ModelHubError) {
        do {
            let data = try JSONEncoder().encode(stamp)
            try data.write(to: URL(fileURLWithPath: stampPath), options: .atomic)
        } catch { throw .io(path: stampPath, reason: "cannot write: \(error.localizedDescription)") }
    }

    /// The sha256 state over the first `count` bytes already on disk, read in 4 MiB pieces.
    func hashExisting(_ count: Int64) throws(ModelHubError) -> SHA256 {
        var hasher = SHA256()
        guard count > 0 else { return hasher }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .io(path: path, reason: "cannot open the partial download")
        }
        defer { try? handle.close() }
        var left = count
        while left > 0 {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: Int(min(left, 4 << 20))) } catch {
                throw .io(path: path, reason: "cannot read the partial download: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else {
                throw .io(path: path, reason: "the partial download shrank while being read")
            }
            hasher.update(data: chunk)
            left -= Int64(chunk.count)
        }
        return hasher
    }

    /// Opens the file for appending after its first `keep` bytes (truncating anything beyond).
    func openForAppend(keeping keep: Int64) throws(ModelHubError) -> AppendFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        guard ftruncate(fd, off_t(keep)) == 0, lseek(fd, off_t(keep), SEEK_SET) >= 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .io(path: path, reason: reason)
        }
        return AppendFile(fd: fd, path: path)
    }

    /// Deletes the partial file and its stamp.
    func discard() {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: stampPath)
    }
}

/// A file descriptor written front to back; closed by `close()` (or on deinit).
final class AppendFile {
    private var fd: Int32
    let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ModelHubError) {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = Glibc.write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Flushes to disk, so a verified file survives a crash right after the move.
    func sync() throws(ModelHubError) {
        guard fsync(fd) == 0 else { throw .io(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
