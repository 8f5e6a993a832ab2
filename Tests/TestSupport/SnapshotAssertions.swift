import Foundation
import TerminalUI
import Testing

/// Plain-text snapshot tests for screens.
///
/// A snapshot is `ScreenGrid.text` stored in `__Snapshots__/<name>.txt` next to the test file
/// that asserts it. A missing snapshot is recorded and the test fails with a note saying so, so
/// a new snapshot is never accepted silently: read the file, then run again. Set
/// `RECORD_SNAPSHOTS=1` to re-record every snapshot (those tests fail too, for the same reason).
/// A mismatch prints a line diff.
public func assertSnapshot(
    _ grid: ScreenGrid, named name: String, filePath: StaticString = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    assertSnapshot(text: grid.text, named: name, filePath: filePath, sourceLocation: sourceLocation)
}

/// Compares any text to a snapshot file (see `assertSnapshot(_:named:)`).
public func assertSnapshot(
    text actual: String, named name: String, filePath: StaticString = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let testFile = URL(fileURLWithPath: "\(filePath)")
    let directory = testFile.deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = directory.appendingPathComponent(name + ".txt")
    let recordAll = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    let stored = try? String(contentsOf: file, encoding: .utf8)

    if recordAll || stored == nil {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try (actual + "\n").write(to: file, atomically: true, encoding: .utf8)
            Issue.record(
                "Recorded snapshot \(name) at \(file.path); check it and run the test again.",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("Could not record snapshot \(name): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let stored else { return }
    var expected = stored
    if expected.hasSuffix("\n") { expected.removeLast() }
    if expected != actual {
        let diff = lineDiff(expected: expected, actual: actual)
        Issue.record("Snapshot \(name) differs (- expected, + actual):\n\(diff)", sourceLocation: sourceLocation)
    }
}

/// A line diff via longest common subsequence: `-` lines only in `expected`, `+` only in
/// `actual`, unchanged lines indented. Screens are small, so quadratic time is fine.
public func lineDiff(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var lengths = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
        for j in stride(from: new.count - 1, through: 0, by: -1) {
            lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
        }
    }
    var output: [String] = []
    var i = 0
    var j = 0
    while i < old.count || j < new.count {
        if i < old.count && j < new.count && old[i] == new[j] {
            output.append("  \(old[i])")
            i += 1
            j += 1
        } else if j < new.count && (i == old.count || lengths[i][j + 1] >= lengths[i + 1][j]) {
            output.append("+ \(new[j])")
            j += 1
        } else {
            output.append("- \(old[i])")
            i += 1
        }
    }
    return output.joined(separator: "\n")
}
