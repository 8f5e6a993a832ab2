#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Read-only bytes of a file, mapped into memory or held in an owned buffer.
///
/// Model weights stay in the page cache and are viewed in place; only the pages a computation
/// touches are ever read. The buffer variant serves tests that parse bytes built in memory.
/// As with any mapping, a file truncated by another process while mapped makes reads of the lost
/// pages fault (SIGBUS); model files are treated as immutable while open.
final class MappedFile: @unchecked Sendable {
    // Immutable after init; the memory is never written, so sharing across threads is safe.
    let bytes: UnsafeRawBufferPointer
    private let isMapped: Bool

    init(path: String) throws(GGUFError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            isMapped = false
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw .io(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
        isMapped = true
    }

    init(copying source: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 64)
        source.withUnsafeBytes { buffer.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<source.count])
        isMapped = false
    }

    /// Tells the kernel the whole mapping will be read soon (used before a full pass over weights).
    func adviseWillNeed() {
        guard isMapped, let base = bytes.baseAddress else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), bytes.count, MADV_WILLNEED)
    }

    /// Drops this process's mapping of the whole pages inside `range` (a part of `bytes`). A
    /// later read maps them again from the page cache, so only memory changes. No-op for a
    /// buffer, whose pages `MADV_DONTNEED` would zero.
    func release(_ range: UnsafeRawBufferPointer) {
        guard isMapped, let start = range.baseAddress, range.count > 0 else { return }
        let page = UInt(max(4096, sysconf(Int32(_SC_PAGESIZE))))
        let first = (UInt(bitPattern: start) + page - 1) / page * page
        let end = (UInt(bitPattern: start) + UInt(range.count)) / page * page
        guard end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(pointer, Int(end - first), MADV_DONTNEED)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
