import Foundation

/// `Scripts/fault_server.py` running on loopback for one test: an OpenAI-compatible server
/// whose first path segment picks a fault (`baseURL("cut")` is `http://127.0.0.1:PORT/cut/v1`).
/// It stops when this object goes away (its stdin closes), and by itself after 300 s.
public final class FaultServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    /// What the tests need to start it.
    public static let requirement = TestRequirement.program("python3")

    public init() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.repositoryFile("Scripts/fault_server.py").path]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var line = Data()
        let handle = stdout.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// The base URL whose requests get `fault`.
    public func baseURL(_ fault: String) -> String { "http://127.0.0.1:\(port)/\(fault)/v1" }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// A loopback port nothing listens on (bound, then released), for "connection refused".
public enum FreePort {
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CocoaError(.fileNoSuchFile) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileNoSuchFile) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
