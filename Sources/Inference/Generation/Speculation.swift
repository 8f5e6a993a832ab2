/// Whether and how far `TextGenerator` speculates (prompt-lookup drafts verified in one pass).
public struct SpeculationSettings: Sendable, Equatable {
    /// Draft from the context when a single answer is generated (`choices == 1`).
    public var enabled: Bool
    /// The most tokens drafted for one verifying pass. Three by default: the pass is then at most
    /// four tokens, one 4-row × 4-token tile per weight rows (`MatMulPlan+Tiles.swift`), which
    /// costs 2.3-2.4 one-token steps; eight drafts take two tiles (4.1-4.7 steps) and lose unless
    /// nearly all are accepted (`Scripts/bench-pass-cost.sh`, SmolLM2 Q4_1 at depth 600 on an
    /// Intel Xeon, 1-2 threads). `Scripts/bench-speculate.sh` (2 threads): with up to 3, the
    /// transcript examples 1.43-1.58× and README.md 1.64× (2026-12-07); with up to 8 the
    /// multilingual example was 1.06× against 1.21× with 3 (2026-12-05, an older lookup).
    public var maximumDraft: Int
    /// How drafts are judged; only tests choose anything but `.verified`.
    package var acceptance: DraftAcceptance = .verified

    public init(enabled: Bool = true, maximumDraft: Int = 3) {
        self.enabled = enabled
        self.maximumDraft = max(1, maximumDraft)
    }

    public static let off = SpeculationSettings(enabled: false)
}

/// The rule that accepts or rejects a drafted token.
package enum DraftAcceptance: Sendable, Equatable {
    /// The speculative-sampling rule for a deterministic draft `d`: accept with probability
    /// p(d) under the sampler's final distribution p, and on rejection emit a draw from p
    /// without `d`, renormalised. Realised by drawing x from p exactly as a plain step would
    /// (same transforms, same random state) and accepting iff x = d: P(accept) = p(d), and a
    /// rejected x is a draw from p conditioned on x ≠ d. So the output is what decoding without
    /// drafts gives, token for token under the same seed (greedy: the argmax, d or not).
    case verified
    /// A broken rule kept for the statistical test: every draft is accepted.
    case acceptEveryDraft
}

/// How many drafted tokens were verified and how many of them the model agreed with.
public struct SpeculationCounts: Sendable, Equatable {
    public var drafted = 0
    public var accepted = 0

    public init(drafted: Int = 0, accepted: Int = 0) {
        self.drafted = drafted
        self.accepted = accepted
    }

    /// accepted / drafted; nil before anything was drafted.
    public var acceptanceRate: Double? { drafted > 0 ? Double(accepted) / Double(drafted) : nil }
}

/// Decides when to draft and how much, from how the last drafts fared.
///
/// A verifying pass of 1 + k tokens costs more than one token's step, so drafts that keep
/// failing must stop being made: the length grows by two after a fully accepted draft and
/// shrinks to one more than the accepted part otherwise, and a draft rejected outright pauses
/// drafting for 1, 2, 4 … 16 tokens (reset by the next accepted draft).
struct DraftPolicy {
    let maximum: Int
    /// Tokens to ask for in the next draft.
    private(set) var length: Int
    /// Tokens still to decode without drafting.
    private var pause = 0
    /// The next pause after an outright rejection.
    private var backoff = 1

    init(maximum: Int) {
        self.maximum = maximum
        length = min(maximum, 4)
    }

    /// Whether to draft before this step (consumes one paused step when not).
    mutating func shouldDraft() -> Bool {
        guard pause == 0 else {
            pause -= 1
            return false
        }
        return true
    }

    mutating func record(drafted: Int, accepted: Int) {
        guard drafted > 0 else { return }
        if accepted == drafted {
            length = min(maximum, length + 2)
        } else {
            length = max(1, min(length, accepted + 1))
        }
        if accepted == 0 {
            pause = backoff
            backoff = min(16, backoff * 2)
        } else {
            backoff = 1
        }
    }
}
