import Foundation
import TestSupport

/// Runs the release `parley` binary that `Scripts/test.sh` builds, as a person or script would.
struct ParleyBinary {
    static let url = TestPaths.repositoryFile(".build/release/parley")
    /// The binary exists: the suites' condition (a skip with this reason otherwise).
    static let requirement = TestRequirement.executable(
        url, makeItWith: "Scripts/test.sh (it builds the release binary)")
    static let smolLM2 = TestModel.smolLM2Q4_1.path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `parley arguments` with `input` on stdin and a private XDG home, waiting for it to end.
    ///
    /// Standard output and standard error are drained at the same time, the error on a thread of
    /// its own: reading one to its end first blocked for ever once the child filled the other
    /// pipe (64 KB). A plain thread, not a task: blocking reads on the Swift concurrency pool (two
    /// threads here) starve servers that tests run in-process.
    static func run(_ arguments: [String], input: String? = nil, home: URL? = nil) throws -> Result {
        let process = try start(arguments, input: input, home: home)
        let err = Drain(process.stderr.fileHandleForReading)
        let out = process.stdout.fileHandleForReading.readDataToEndOfFile()
        process.process.waitUntilExit()
        return Result(
            status: process.process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err.wait(), as: UTF8.self))
    }

    /// Reads a pipe to its end on a thread of its own.
    final class Drain: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        /// Everything read, once the pipe has closed.
        func wait() -> Data {
            done.wait()
            return data
        }
    }

    struct Running {
        var process: Process
        var stdout: Pipe
        var stderr: Pipe
    }

    /// A binary older than the sources would test old code and pass or fail for the wrong reason.
    struct StaleBinary: Error, CustomStringConvertible {
        var description: String
    }

    /// Why the binary is stale (the newest source file written after it), or nil when it is not.
    static let staleness: String? = staleness(of: url, sources: TestPaths.repositoryFile("Sources"))

    static func staleness(of binary: URL, sources: URL) -> String? {
        let keys: Set<URLResourceKey> = [.contentModificationDateKey, .isRegularFileKey]
        guard let built = (try? binary.resourceValues(forKeys: keys))?.contentModificationDate else { return nil }
        var newest: (URL, Date)?
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: Array(keys))
        while let file = files?.nextObject() as? URL {
            guard let values = try? file.resourceValues(forKeys: keys), values.isRegularFile == true,
                let date = values.contentModificationDate, date > built, date > (newest?.1 ?? .distantPast)
            else { continue }
            newest = (file, date)
        }
        guard let (file, date) = newest else { return nil }
        return "\(binary.path) (built \(built)) is older than \(file.path) (changed \(date)): "
            + "run `swift build -c release -Xswiftc -enable-testing` (Scripts/test.sh does) before the CLI tests"
    }

    static func start(_ arguments: [String], input: String? = nil, home: URL? = nil) throws -> Running {
        if let staleness { throw StaleBinary(description: staleness) }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        let home = home ?? temporaryDirectory()
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_CACHE_HOME"] = home.appendingPathComponent("cache").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment.removeValue(forKey: "PARLEY_MODEL")
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Written on a thread of its own too: a child that answers before it has read all of its
        // input would otherwise block on a full output pipe while we block on its input.
        let writer = stdin.fileHandleForWriting
        let bytes = input.map { Data($0.utf8) }
        Thread.detachNewThread {
            if let bytes { try? writer.write(contentsOf: bytes) }
            try? writer.close()
        }
        return Running(process: process, stdout: stdout, stderr: stderr)
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parley-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
