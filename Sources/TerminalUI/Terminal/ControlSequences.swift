/// Escape sequences the backend writes itself because terminfo has no name for them.
public enum ControlSequences {
    /// Asks the terminal to wrap pastes in `ESC[200~` ... `ESC[201~`.
    public static let enableBracketedPaste = "\u{1B}[?2004h"
    /// Turns bracketed paste off again (on shutdown).
    public static let disableBracketedPaste = "\u{1B}[?2004l"

    /// OSC 52: sets the clipboard ("c") to `text`. Terminals (and tmux with `set-clipboard on`)
    /// accept it even over ssh, which is why it is used instead of a clipboard tool.
    public static func setClipboard(_ text: String) -> String {
        "\u{1B}]52;c;" + base64(Array(text.utf8)) + "\u{07}"
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Standard base64 with padding.
    public static func base64(_ bytes: [UInt8]) -> String {
        var output = ""
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = Int(bytes[index])
            let b1 = index + 1 < bytes.count ? Int(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? Int(bytes[index + 2]) : 0
            output.append(alphabet[b0 >> 2])
            output.append(alphabet[((b0 & 0x03) << 4) | (b1 >> 4)])
            output.append(index + 1 < bytes.count ? alphabet[((b1 & 0x0F) << 2) | (b2 >> 6)] : "=")
            output.append(index + 2 < bytes.count ? alphabet[b2 & 0x3F] : "=")
            index += 3
        }
        return output
    }
}
