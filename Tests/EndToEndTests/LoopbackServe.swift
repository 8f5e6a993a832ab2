// Linux only, like the harness.
#if canImport(Glibc)
    import Foundation
    import TestSupport

    /// `parley serve` on a loopback port of its own choosing, with an API key, for the tmux tests
    /// that chat with a remote engine. Call `stop()` when done (the tests `defer` it).
    final class LoopbackServe {
        let process = Process()
        let port: Int

        struct StartFailed: Error, CustomStringConvertible {
            var description: String
        }

        init(apiKey: String) throws {
            process.executableURL = TmuxHarness.binary
            process.arguments = ["serve", "-m", TmuxHarness.model.path, "--port", "0", "--api-key", apiKey, "-t", "1"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let marker = "listening on http://127.0.0.1:"
            var seen = ""
            while !(seen.contains(marker) && seen.hasSuffix("\n")) {
                let data = errors.fileHandleForReading.availableData
                if data.isEmpty { break }
                seen += String(decoding: data, as: UTF8.self)
            }
            guard seen.contains(marker), let tail = seen.components(separatedBy: marker).last,
                let port = Int(tail.prefix { $0.isNumber })
            else {
                process.terminate()
                process.waitUntilExit()
                throw StartFailed(description: "parley serve did not say where it listens: \(seen)")
            }
            self.port = port
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }
#endif
