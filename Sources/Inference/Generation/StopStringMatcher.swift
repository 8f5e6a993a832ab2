/// Finds stop strings in streamed text, even when one is split across several tokens.
///
/// Text that might be the start of a stop string is held back until the next piece shows
/// whether it is; a stop string itself is never emitted.
public struct StopStringMatcher: Sendable {
    public let stops: [String]
    private var pending = ""

    public init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }
    }

    /// What may be shown after `piece` arrives, and whether a stop string was reached.
    public mutating func push(_ piece: String) -> (text: String, stopped: Bool) {
        guard !stops.isEmpty else { return (piece, false) }
        pending += piece
        if let range = earliestStop() {
            let text = String(pending[..<range.lowerBound])
            pending = ""
            return (text, true)
        }
        let hold = longestSuffixThatStartsAStop()
        let cut = pending.index(pending.endIndex, offsetBy: -hold)
        let text = String(pending[..<cut])
        pending = String(pending[cut...])
        return (text, false)
    }

    /// Text still held back when generation ends for another reason.
    public mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }

    private func earliestStop() -> Range<String.Index>? {
        var best: Range<String.Index>?
        for stop in stops {
            if let range = pending.firstRange(of: stop), best.map({ range.lowerBound < $0.lowerBound }) ?? true {
                best = range
            }
        }
        return best
    }

    /// Length in characters of the longest tail of `pending` that is a proper prefix of a stop.
    private func longestSuffixThatStartsAStop() -> Int {
        let characters = Array(pending)
        var longest = 0
        for stop in stops {
            let stopCharacters = Array(stop)
            let limit = min(stopCharacters.count - 1, characters.count)
            guard limit > longest else { continue }
            for length in stride(from: limit, to: longest, by: -1)
            where characters[(characters.count - length)...].elementsEqual(stopCharacters[..<length]) {
                longest = length
                break
            }
        }
        return longest
    }
}
