import Testing

@testable import Inference

/// Drafting from the context: the longest suffix that occurred before, its newest occurrence,
/// and the tokens that followed it there.
@Suite struct PromptLookupTests {
    func draft(_ context: [Int32], count: Int = 4) -> (tokens: [Int32], matched: Int) {
        var tokens: [Int32] = [99]
        let matched = PromptLookup.draft(from: context, count: count, into: &tokens)
        return (tokens, matched)
    }

    @Test func longestSuffixWins() {
        // "2 3" follows "1" once and "7" once; the 3-token suffix "1 2 3" picks the first place,
        // and a 3-token match drafts at most 2 tokens.
        let context: [Int32] = [1, 2, 3, 4, 5, 7, 2, 3, 8, 9, 1, 2, 3]
        #expect(draft(context) == ([4, 5], 3))
    }

    @Test func aMatchDraftsOneTokenLessThanItsLength() {
        // "6 7 8 9" occurred before, followed by 1 2 3 4 5: four matched tokens draft three.
        let context: [Int32] = [6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        #expect(draft(context, count: 8) == ([1, 2, 3], 4))
        #expect(draft(context, count: 2) == ([1, 2], 4))
    }

    @Test func newestOccurrenceWins() {
        let context: [Int32] = [5, 6, 1, 5, 6, 2, 5, 6]
        #expect(draft(context, count: 2) == ([2], 2))
    }

    @Test func fallsBackToShorterSuffixes() {
        let context: [Int32] = [4, 9, 8, 3, 7, 1, 2, 9, 8]
        #expect(draft(context) == ([3], 2))
    }

    /// A single token seen before is mostly a common word: it drafts nothing.
    @Test func aOneTokenMatchDraftsNothing() {
        #expect(draft([4, 9, 8, 3, 7, 1, 2, 9]) == ([], 0))
    }

    @Test func draftStopsAtTheContextsEnd() {
        // The occurrence overlaps the suffix: only the tokens up to the end are drafted.
        let context: [Int32] = [1, 1, 1, 1, 1]
        #expect(draft(context, count: 8) == ([1], 4))
    }

    @Test func noMatchNoDraft() {
        #expect(draft([1, 2, 3, 4]) == ([], 0))
        #expect(draft([1, 2, 1]) == ([], 0))
        #expect(draft([7]) == ([], 0))
        #expect(draft([]) == ([], 0))
        #expect(draft([1, 2, 1, 2], count: 0) == ([], 0))
    }

    /// An adversarial context (one token repeated, so almost every place nearly matches the
    /// 4-token suffix) costs one pass per suffix length; the 2-token suffix then matches newest
    /// just before the end.
    @Test func repetitiveContextFallsBackQuickly() {
        let context = [Int32](repeating: 3, count: 20_000) + [4, 3, 3]
        #expect(draft(context, count: 5) == ([4], 2))
    }
}

/// The adaptive draft length and the pause after drafts that fail.
@Suite struct DraftPolicyTests {
    @Test func growsOnSuccessShrinksOnFailure() {
        var policy = DraftPolicy(maximum: 8)
        #expect(policy.length == 4)
        policy.record(drafted: 4, accepted: 4)
        #expect(policy.length == 6)
        policy.record(drafted: 6, accepted: 6)
        policy.record(drafted: 8, accepted: 8)
        #expect(policy.length == 8)
        policy.record(drafted: 8, accepted: 2)
        #expect(policy.length == 3)
        let drafts = policy.shouldDraft()
        #expect(drafts)
    }

    @Test func outrightRejectionsPauseLongerEachTime() {
        var policy = DraftPolicy(maximum: 8)
        var pauses: [Int] = []
        for _ in 0..<6 {
            policy.record(drafted: 1, accepted: 0)
            var skipped = 0
            while !policy.shouldDraft() { skipped += 1 }
            pauses.append(skipped)
        }
        #expect(pauses == [1, 2, 4, 8, 16, 16])
        policy.record(drafted: 1, accepted: 1)
        policy.record(drafted: 1, accepted: 0)
        var skipped = 0
        while !policy.shouldDraft() { skipped += 1 }
        #expect(skipped == 1)
    }
}
