#if canImport(Glibc)
    import Glibc
#endif

/// Free bytes on the file system holding a folder, for the check before a pull starts.
public enum DiskSpace {
    /// Bytes an unprivileged process may still write (`f_bavail`), or nil when unknown.
    public static func available(at path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
