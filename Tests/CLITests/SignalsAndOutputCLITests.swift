import Foundation
import GGUF
import TestSupport
import Testing

/// Issue #10, finding 6, through the release binary: model bytes cannot drive the terminal,
/// signals exit as signals after saving, and non-finite weights fail instead of printing `nan`.
@Suite(.serialized, .requires([ParleyBinary.requirement, .model(.smolLM2Q4_1)]))
struct SignalsAndOutputCLITests {
    static let model = ParleyBinary.smolLM2

    /// The token the model must write: SmolLM2's byte token for ESC (0x1B).
    static func escapeToken() throws -> Int {
        let result = try ParleyBinary.run(["tokenize", "-m", model, "--no-bos", "\u{1B}"])
        let ids = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Int]
        return try #require(ids?.count == 1 ? ids?.first : nil, "\(result.stdout)")
    }

    /// Runs `parley arguments` with stdout on a pseudo-terminal and returns what the terminal got.
    static func runOnTerminal(_ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
        // posix_openpt and friends are not imported; /dev/ptmx with its two ioctls is the same.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        #expect(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(master, 0x4004_5431, &unlock) == 0) // TIOCSPTLCK
        #expect(ioctl(master, 0x8004_5430, &number) == 0) // TIOCGPTN
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        #expect(slave >= 0)
        var settings = termios()
        tcgetattr(slave, &settings)
        cfmakeraw(&settings) // no newline translation: the bytes as written
        tcsetattr(slave, TCSANOW, &settings)
        let process = Process()
        process.executableURL = ParleyBinary.url
        process.arguments = arguments
        let home = ParleyBinary.temporaryDirectory()
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_CACHE_HOME"] = home.appendingPathComponent("cache").path
        process.environment = environment
        process.standardOutput = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
        while true {
            let count = read(master, &buffer, buffer.count)
            guard count > 0 else { break }
            output += buffer[0..<count]
        }
        return (process.terminationStatus, output)
    }

    @Test func controlBytesAreShownOnATerminalAndPassedThroughAPipe() throws {
        let escape = try Self.escapeToken()
        let arguments = [
            "run", "-m", Self.model, "--temperature", "0", "--max-tokens", "3",
            "--logit-bias", "\(escape)=100", "-p", "Hi"
        ]
        let terminal = try Self.runOnTerminal(arguments)
        #expect(terminal.status == 0)
        #expect(!terminal.output.contains(0x1B), "\(terminal.output)")
        #expect(String(decoding: terminal.output, as: UTF8.self).contains("␛␛␛"))
        let piped = try ParleyBinary.run(arguments)
        #expect(piped.status == 0)
        #expect(piped.stdout == "\u{1B}\u{1B}\u{1B}\n")
    }

    @Test(arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func aSignalSavesThePartialAnswerThenExitsAsTheSignal(_ signal: Int32, _ expected: Int32) throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json")
        let running = try ParleyBinary.start(
            [
                "run", "-m", Self.model, "--max-tokens", "2000", "--save", file.path,
                "-p", "Tell me a very long story."
            ], home: home)
        _ = running.stdout.fileHandleForReading.availableData // answering
        kill(running.process.processIdentifier, signal)
        _ = running.stdout.fileHandleForReading.readDataToEndOfFile()
        running.process.waitUntilExit()
        #expect(running.process.terminationReason == .exit)
        #expect(running.process.terminationStatus == expected)
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        let messages = try #require(saved?["messages"] as? [[String: Any]])
        #expect(messages.count == 2)
        #expect(messages.last?["finish_reason"] as? String == "cancelled")
        #expect((messages.last?["content"] as? String)?.isEmpty == false)
    }

    /// The generated tiny llama with every weight of the final norm set to NaN, so every logit is NaN.
    static func poisonedModel() throws -> URL {
        let source = GeneratedModels.llamaSPM
        var bytes = [UInt8](try Data(contentsOf: source))
        let file = try GGUFFile(bytes: bytes)
        let norm = try #require(file.tensor(named: "output_norm.weight"))
        #expect(norm.type == .f32)
        let start = file.dataOffset + Int(norm.rawOffset)
        let nan = Float.nan.bitPattern
        for index in 0..<norm.elementCount {
            for byte in 0..<4 { bytes[start + index * 4 + byte] = UInt8(truncatingIfNeeded: nan >> (8 * byte)) }
        }
        let url = ParleyBinary.temporaryDirectory().appendingPathComponent("poisoned.gguf")
        try Data(bytes).write(to: url)
        return url
    }

    @Test(.requires([.syntheticLlamaSPM]))
    func nonFiniteWeightsFailInsteadOfPrintingGarbage() throws {
        let model = try Self.poisonedModel()
        let text = model.deletingLastPathComponent().appendingPathComponent("text.txt")
        try Data(String(repeating: "Once upon a time there was a little cat. ", count: 20).utf8).write(to: text)
        let perplexity = try ParleyBinary.run(["perplexity", "-m", model.path, "-f", text.path, "--ctx", "16"])
        #expect(perplexity.status == 1)
        #expect(!perplexity.stdout.contains("nan"))
        #expect(perplexity.stderr.contains("non-finite logit"), "\(perplexity.stderr)")
        let run = try ParleyBinary.run(["run", "-m", model.path, "--max-tokens", "8", "-p", "Once"])
        #expect(run.status == 1)
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(run.stdout)")
        #expect(run.stderr.contains("non-finite logit"), "\(run.stderr)")
    }
}
