// Linux only: it spawns with Glibc's posix_spawn types and reads /proc.
#if canImport(Glibc)
    import Foundation

    /// Runs `parley` inside a private tmux server at a fixed size and reads its screen.
    ///
    /// Each harness has its own socket (`tmux -L parley-test-<random>`), so tests never touch the
    /// user's tmux, and its own XDG folders in a temporary directory. Waiting is polling with a
    /// deadline (a hang guard, not a timing assertion): `waitFor` returns as soon as the screen
    /// shows what it waits for.
    public final class TmuxHarness {
        public struct Failure: Error, CustomStringConvertible {
            public var description: String
        }

        public static let width = 100
        public static let height = 30

        /// The release binary the README's test command builds, or `$PARLEY_BINARY`.
        public static var binary: URL {
            if let explicit = ProcessInfo.processInfo.environment["PARLEY_BINARY"], !explicit.isEmpty {
                return URL(fileURLWithPath: explicit)
            }
            return TestPaths.repositoryFile(".build/release/parley")
        }

        public static var model: URL { TestPaths.model(TestModel.smolLM2Q4_1.fileName) }

        /// What the end-to-end tests need: the binary, the default model and tmux (the suite is
        /// skipped, saying which is missing, otherwise).
        public static var requirements: [TestRequirement] {
            [
                .executable(binary, makeItWith: "Scripts/test.sh (or set PARLEY_BINARY)"), .model(.smolLM2Q4_1),
                .program("tmux")
            ]
        }

        /// A fresh socket per `start`: a killed server may take a moment to go away.
        private(set) var socket = TmuxHarness.newSocketName()
        /// A private folder for this harness (XDG folders, exit statuses, tmux output).
        public let home: URL
        private var started = false
        private var starts = 0
        private var exitFile: URL

        public init() throws {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("parley-e2e-\(UUID().uuidString)")
            exitFile = home.appendingPathComponent("exit-status-0")
            for folder in ["data", "config", "cache"] {
                try FileManager.default.createDirectory(
                    at: home.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
        }

        deinit {
            stop()
            try? FileManager.default.removeItem(at: home)
        }

        /// Kills whatever still runs in the pane, then the tmux server.
        public func stop() {
            if let pid = try? pid() { kill(pid, SIGKILL) }
            let socketPath = try? tmux(["display-message", "-p", "#{socket_path}"])
            _ = try? tmux(["kill-server"])
            if let socketPath, !socketPath.isEmpty { try? FileManager.default.removeItem(atPath: socketPath) }
        }

        public var transcriptsFolder: URL { home.appendingPathComponent("data/parley/transcripts") }

        /// The transcripts saved so far (the `.json` files of the transcripts folder).
        public func savedTranscripts() throws -> [URL] {
            try FileManager.default.contentsOfDirectory(at: transcriptsFolder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }
        }

        /// Starts `parley ARGS` in a new session (killing the previous one); the pane stays after
        /// the process exits so its exit status can be read.
        public func start(_ arguments: [String], environment extra: [String] = []) throws {
            if started {
                stop()
                socket = Self.newSocketName()
            }
            let environment =
                [
                    "XDG_DATA_HOME=\(home.path)/data", "XDG_CONFIG_HOME=\(home.path)/config",
                    "XDG_CACHE_HOME=\(home.path)/cache", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=screen-256color"
                ] + extra
            // The pane's shell waits for parley and writes its exit status to a file: tmux's own
            // `pane_dead_status` sometimes never arrives (the server misses the child's exit).
            starts += 1
            exitFile = home.appendingPathComponent("exit-status-\(starts)")
            let parley = (["env"] + environment + [Self.binary.path] + arguments).map(Self.quote).joined(separator: " ")
            let command = "\(parley); echo $? > \(Self.quote(exitFile.path))"
            let config = home.appendingPathComponent("tmux.conf")
            try Data("set -g remain-on-exit on\n".utf8).write(to: config)
            try tmux([
                "-f", config.path, "new-session", "-d", "-x", "\(Self.width)", "-y", "\(Self.height)", "-s", "e2e",
                command
            ])
            started = true
        }

        /// Presses keys by tmux name: `Enter`, `Escape`, `F5`, `C-q`, `M-]`.
        public func press(_ keys: String...) throws {
            try tmux(["send-keys", "-t", "e2e"] + keys)
        }

        /// Types text literally.
        public func type(_ text: String) throws {
            try tmux(["send-keys", "-t", "e2e", "-l", text])
        }

        /// The screen as text, one line per row.
        public func screen() throws -> String {
            try tmux(["capture-pane", "-p", "-t", "e2e"])
        }

        /// The status bar (the second-to-last row while the chat runs).
        public func statusBar() throws -> String {
            let rows = try screen().split(separator: "\n", omittingEmptySubsequences: false)
            return rows.count >= 2 ? String(rows[Self.height - 2]) : ""
        }

        /// Polls the screen until `condition` holds and returns that screen.
        @discardableResult
        public func waitFor(
            _ what: String, timeout: Duration = .seconds(30), _ condition: (String) throws -> Bool
        ) throws -> String {
            let deadline = ContinuousClock.now + timeout
            var last = ""
            while ContinuousClock.now < deadline {
                last = try screen()
                if try condition(last) { return last }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw Failure(description: "timed out waiting for \(what); the screen was:\n\(last)")
        }

        /// Waits until the message `text`, typed and sent, has been answered: it is on screen, the
        /// input line is empty again and the status bar says idle. The text alone with idle is not
        /// enough: it shows on the input line until the app has read the Enter, and a test that
        /// went on then (Ctrl+P on a loaded machine) met an answer still being written.
        @discardableResult
        public func waitForAnswer(to text: String, timeout: Duration = .seconds(60)) throws -> String {
            try waitFor("the answer to \(text)", timeout: timeout) { screen in
                let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
                let input = rows.count >= Self.height ? String(rows[Self.height - 1]) : ""
                return screen.contains(text) && !input.contains(text) && screen.contains("│ idle")
            }
        }

        /// Waits until the screen shows `text`.
        @discardableResult
        public func waitFor(text: String, timeout: Duration = .seconds(30)) throws -> String {
            try waitFor("“\(text)”", timeout: timeout) { $0.contains(text) }
        }

        /// Waits for parley to exit and returns its status.
        public func waitForExit(timeout: Duration = .seconds(15), line: Int = #line) throws -> Int {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let text = try? String(contentsOf: exitFile, encoding: .utf8),
                    let status = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
                {
                    return status
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw Failure(description: "line \(line): parley did not exit; the screen was:\n\(try screen())")
        }

        /// The process id of parley (the child of the pane's shell).
        public func pid() throws -> Int32 {
            guard let shell = Int32(try tmux(["display-message", "-p", "-t", "e2e", "#{pane_pid}"])) else {
                throw Failure(description: "no pane pid")
            }
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            guard let child = children.split(separator: " ").first.flatMap({ Int32($0) }) else {
                throw Failure(description: "parley is not running in the pane")
            }
            return child
        }

        /// Runs tmux on this harness's socket and returns its output.
        @discardableResult
        private func tmux(_ arguments: [String]) throws -> String {
            guard let tmuxPath = Self.which("tmux") else { throw Failure(description: "tmux is not installed") }
            var environment = ProcessInfo.processInfo.environment
            environment["LANG"] = "C.UTF-8"
            environment["TMUX"] = nil
            let result = try Self.run(tmuxPath, ["-L", socket] + arguments, environment: environment, scratch: home)
            guard result.status == 0 else {
                throw Failure(
                    description: "tmux \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.output)")
            }
            return result.output.hasSuffix("\n") ? String(result.output.dropLast()) : result.output
        }

        /// Runs a program to completion and returns its exit status and output (stdout and stderr).
        ///
        /// posix_spawn and waitpid rather than Foundation's `Process`: the test runner's threads
        /// block signals, which a child would inherit (tmux's server would never see SIGCHLD) and
        /// which makes `Process.waitUntilExit` miss exits. Output goes to a file, not a pipe: tmux's
        /// server inherits the descriptor and would hold a pipe open forever.
        public static func run(
            _ path: String, _ arguments: [String], environment: [String: String], scratch: URL
        ) throws -> (status: Int32, output: String) {
            let outputURL = scratch.appendingPathComponent("output-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: outputURL) }
            let fd = open(outputURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw Failure(description: "cannot create \(outputURL.path)") }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, fd, 1)
            posix_spawn_file_actions_adddup2(&actions, fd, 2)
            posix_spawn_file_actions_addclose(&actions, fd)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var emptySet = sigset_t()
            sigemptyset(&emptySet)
            var defaults = sigset_t()
            sigemptyset(&defaults)
            for signal in [SIGCHLD, SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
            posix_spawnattr_setsigmask(&attributes, &emptySet)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let argv = ([path] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                for pointer in argv + envp { free(pointer) }
            }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            close(fd)
            guard spawned == 0 else { throw Failure(description: "cannot run \(path): error \(spawned)") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let output = String(decoding: (try? Data(contentsOf: outputURL)) ?? Data(), as: UTF8.self)
            return ((status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output)
        }

        private static func newSocketName() -> String {
            "parley-test-\(UInt32.random(in: 0...UInt32.max))"
        }

        private static func which(_ name: String) -> String? {
            for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            return nil
        }

        private static func quote(_ text: String) -> String {
            "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }
#endif
