import Foundation
import GGUF
import TestSupport
import Testing

/// `parley inspect` on GGUF files with huge metadata (issue #10, finding 4). Memory is asserted
/// as the peak resident size of the real process, never as a time.
@Suite(.requires([ParleyBinary.requirement]))
struct InspectHostileFileTests {
    /// A GGUF file whose only metadata is one u8 array of `count` bytes, written to a temporary file.
    static func arrayFile(count: Int) throws -> URL {
        var writer = GGUFWriter()
        var payload = GGUFWriter.littleEndianBytes(of: GGUFValueType.uint8.rawValue)
        payload += GGUFWriter.littleEndianBytes(of: UInt64(count))
        payload += (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        writer.addRaw("hostile.array", typeID: GGUFValueType.array.rawValue, bytes: payload)
        let url = ParleyBinary.temporaryDirectory().appendingPathComponent("array.gguf")
        try Data(writer.bytes()).write(to: url)
        return url
    }

    @Test(.enabled(if: PeakMemory.python != nil, "needs python3 to measure peak memory"))
    func inspectOfA40MBMetadataArrayStaysUnder150MB() throws {
        let url = try Self.arrayFile(count: 40_000_000)
        for arguments in [["inspect", url.path], ["inspect", "--json", url.path]] {
            let (status, peak) = try PeakMemory.run(ParleyBinary.url.path, arguments)
            #expect(status == 0)
            #expect(peak < 150 << 20, "\(arguments): peak RSS \(peak >> 20) MB")
        }
    }

    @Test func inspectJSONShowsAHugeArrayAsItsTypeCountAndFirstElements() throws {
        let url = try Self.arrayFile(count: 1_000_000)
        let result = try ParleyBinary.run(["inspect", "--json", url.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["metadata"] as? [[String: Any]])
        let entry = try #require(entries.first)
        #expect(entry["key"] as? String == "hostile.array")
        #expect(entry["type"] as? String == "array")
        #expect(entry["elementType"] as? String == "u8")
        #expect(entry["count"] as? Int == 1_000_000)
        #expect(entry["truncated"] as? Bool == true)
        #expect(entry["elements"] as? [Int] == (0..<16).map { ($0 * 7) & 0xFF })
        #expect(result.stdout.utf8.count < 4096)
    }

    @Test func inspectOfAMissingFileIsARuntimeErrorWithoutUsageText() throws {
        let result = try ParleyBinary.run(["inspect", "/nonexistent/model.gguf"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/model.gguf"))
        #expect(!result.stderr.contains("USAGE"))
    }
}

/// Runs a process and reports its own peak resident set size.
///
/// The test process cannot measure a child it spawns itself: Linux carries the parent's peak into
/// a `posix_spawn`ed child's `ru_maxrss` at `exec` (the child shares the parent's memory until
/// then). A small Python process forks and waits instead, so the figure is the command's own
/// (plus the few MB of the Python image it was forked from).
enum PeakMemory {
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let script = """
        import os, sys
        pid = os.fork()
        if pid == 0:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1); os.dup2(fd, 2)
            os.execv(sys.argv[1], sys.argv[1:])
        _, status, usage = os.wait4(pid, 0)
        print(os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024)
        """

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, peakBytes: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python, "needs python3"))
        process.arguments = ["-c", script, executable] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let status = try #require(fields.first.flatMap { Int32($0) }, "no status from the python runner")
        let peak = try #require(fields.dropFirst().first.flatMap { Int($0) }, "no peak from the python runner")
        return (status, peak)
    }
}
