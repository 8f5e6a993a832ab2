/// Drafts the next tokens of a generation from its own context (prompt-lookup decoding).
///
/// When an answer repeats its input (a summary, an edit, code that quotes code), the last few
/// tokens generated usually occurred earlier in the context, and what followed them there is a
/// good guess of what follows now. The guess costs no model: the context's last `n` tokens
/// (`n` = 4, 3, 2, longest first) are searched for at an earlier place, newest first (the
/// newest occurrence tracks where in a document the answer has got to), and up to `n` - 1 of
/// the tokens that followed it are the draft. One search reads the context at most three
/// times, so its work is bounded by the context's length, whatever the tokens are.
///
/// The match's length decides how far to trust it. A one-token match is mostly a common word
/// seen before, and a pass that verifies its draft costs 1.5-1.9 one-token steps on a CPU whose
/// decode is bound by arithmetic (`Scripts/bench-pass-cost.sh`), so it drafts nothing; a longer
/// match is a surer guess and may draft more. Replayed over the greedy summaries of README.md and
/// the three transcript examples and four chat prompts (SmolLM2 Q4_1) with measured pass costs,
/// this was as fast as or faster than drafting up to 3 tokens from any match of 1-3 in every
/// case (DECISIONS.md, 2026-12-07).
enum PromptLookup {
    /// The longest suffix looked up; longer matches predict better but occur less often.
    static let longestMatch = 4
    /// The shortest suffix that drafts (a suffix of `n` drafts at most `n` - 1 tokens).
    static let shortestMatch = 2

    /// Replaces `draft` with up to min(`count`, n - 1) tokens that followed the newest earlier
    /// occurrence of `context`'s longest matching suffix, n tokens long. Returns n (0 and an empty
    /// draft when no suffix of `shortestMatch`...`longestMatch` tokens occurred before).
    @discardableResult
    static func draft(from context: [Int32], count: Int, into draft: inout [Int32]) -> Int {
        draft.removeAll(keepingCapacity: true)
        let length = context.count
        guard count > 0 else { return 0 }
        return context.withUnsafeBufferPointer { tokens in
            for n in stride(from: min(longestMatch, length - 1), through: shortestMatch, by: -1) {
                // An occurrence starting at `start` must be followed by at least one token that
                // is not part of the suffix itself: start + n < length.
                var start = length - n - 1
                while start >= 0 {
                    if matches(tokens, at: start, suffix: n) {
                        let from = start + n
                        draft.append(contentsOf: tokens[from..<min(length, from + min(count, n - 1))])
                        return n
                    }
                    start -= 1
                }
            }
            return 0
        }
    }

    /// Whether `tokens[start..<start + n]` equals the last `n` tokens.
    @inline(__always)
    private static func matches(_ tokens: UnsafeBufferPointer<Int32>, at start: Int, suffix n: Int) -> Bool {
        let suffixStart = tokens.count - n
        for i in 0..<n where tokens[start + i] != tokens[suffixStart + i] { return false }
        return true
    }
}
