import DequeModule
import TerminalUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a bracketed paste in bulk, straight from the tty.
///
/// ncurses reads one byte per system call, so a 1 MB paste takes seconds through `wget_wch`.
/// Once the decoder has seen `ESC[200~`, ncurses holds no further bytes (it reads only as far
/// as it needs to match a key sequence, and the decoder consumed those), so the body can be
/// read with large `read`s until `ESC[201~`. Bytes after the terminator go back through the
/// decoder as code points.
extension NcursesTerminal {
    private static let terminator: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E] // ESC [ 2 0 1 ~
    private static let stallMilliseconds: Int32 = 1000

    /// Reads the rest of the paste and queues the events it completes.
    func readPasteBody() {
        var body: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var found: Int?
        while found == nil {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Self.stallMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { break } // the paste stalled: deliver what arrived
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 { break }
            let searchFrom = max(0, body.count - (Self.terminator.count - 1))
            body.append(contentsOf: chunk[0..<count])
            found = Self.firstIndex(of: Self.terminator, in: body, from: searchFrom)
        }
        var rest: [UInt8] = []
        if let found {
            rest = Array(body[(found + Self.terminator.count)...])
            body.removeSubrange(found...)
        }
        queue += decoder.finishPaste(body: String(decoding: body, as: UTF8.self))
        for scalar in String(decoding: rest, as: UTF8.self).unicodeScalars {
            queue += decoder.feed(.scalar(scalar))
        }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && Array(haystack[index..<(index + needle.count)]) == needle {
                return index
            }
            index += 1
        }
        return nil
    }
}
