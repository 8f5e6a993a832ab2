/// What a pull reports while it runs, for a progress bar in the terminal or in the app.
public enum PullEvent: Sendable, Equatable {
    /// Asking the server for the repository's files.
    case listing(repo: String)
    /// The files chosen, with the bytes still to fetch (after what earlier attempts kept).
    case planned(files: [String], totalBytes: Int64, alreadyHave: Int64)
    /// Bytes arriving (reported for every chunk the network delivers; throttle when drawing).
    case progress(PullProgress)
    /// One file complete and its sha256 checked.
    case verified(file: String)
    /// The model is in the models folder (paths of every part, first part first).
    case installed(paths: [String])
}

/// The state of one file's download.
public struct PullProgress: Sendable, Equatable {
    public var file: String
    /// 1-based, and the number of files (parts of a split model).
    public var fileNumber: Int
    public var fileCount: Int
    /// Bytes of this file on disk so far, including those kept from an earlier attempt.
    public var received: Int64
    public var total: Int64
    /// Bytes that were already on disk when this attempt started.
    public var resumedFrom: Int64
    /// Seconds since this attempt's first byte.
    public var elapsed: Double

    public init(
        file: String, fileNumber: Int, fileCount: Int, received: Int64, total: Int64, resumedFrom: Int64,
        elapsed: Double
    ) {
        self.file = file
        self.fileNumber = fileNumber
        self.fileCount = fileCount
        self.received = received
        self.total = total
        self.resumedFrom = resumedFrom
        self.elapsed = elapsed
    }

    /// This attempt's speed (bytes kept from before do not count).
    public var bytesPerSecond: Double {
        elapsed > 0.05 ? Double(received - resumedFrom) / elapsed : 0
    }

    /// Seconds left at the current speed, or nil before there is a speed.
    public var secondsLeft: Double? {
        let speed = bytesPerSecond
        return speed > 0 ? Double(total - received) / speed : nil
    }

    /// 0...1.
    public var fraction: Double { total > 0 ? min(1, Double(received) / Double(total)) : 0 }
}

/// The two ways the progress is drawn: a bar redrawn in place on a terminal, and a plain line
/// every few seconds for logs and pipes.
public enum ProgressFormat {
    /// `model.gguf [#########>          ]  45% 12.3 MiB / 27.1 MiB  3.2 MiB/s  ETA 0:05`, at most
    /// `width` characters (the name is shortened first).
    public static func bar(_ p: PullProgress, width: Int) -> String {
        let part = p.fileCount > 1 ? " (\(p.fileNumber)/\(p.fileCount))" : ""
        let stats =
            "\(pad(String(Int(p.fraction * 100)), 3))% \(ByteFormat.string(p.received)) / \(ByteFormat.string(p.total))  "
            + "\(ByteFormat.speed(p.bytesPerSecond))  ETA \(ByteFormat.duration(p.secondsLeft))"
        let barWidth = 20
        let filled = min(barWidth, Int(p.fraction * Double(barWidth)))
        let bar =
            "[" + String(repeating: "#", count: filled)
            + (filled < barWidth ? ">" + String(repeating: " ", count: barWidth - filled - 1) : "") + "]"
        var name = p.file + part
        let room = width - stats.count - bar.count - 2
        if name.count > room { name = room > 1 ? String(name.prefix(room - 1)) + "…" : "" }
        let line = (name.isEmpty ? "" : name + " ") + bar + " " + stats
        return line.count > width ? String(line.prefix(max(0, width))) : line
    }

    /// `pull: model.gguf 12.3 MiB of 27.1 MiB (45%), 3.2 MiB/s, ETA 0:05`.
    public static func line(_ p: PullProgress) -> String {
        let part = p.fileCount > 1 ? " (part \(p.fileNumber) of \(p.fileCount))" : ""
        return "pull: \(p.file)\(part) \(ByteFormat.string(p.received)) of \(ByteFormat.string(p.total)) "
            + "(\(Int(p.fraction * 100))%), \(ByteFormat.speed(p.bytesPerSecond)), ETA \(ByteFormat.duration(p.secondsLeft))"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
