/// A display line addressed by block and line within it, so a scroll position survives
/// re-wrapping (a resize keeps the same block at the top).
public struct LinePosition: Hashable, Sendable, Comparable {
    public var block: Int
    public var line: Int

    public init(block: Int, line: Int) {
        self.block = block
        self.line = line
    }

    public static func < (lhs: LinePosition, rhs: LinePosition) -> Bool {
        (lhs.block, lhs.line) < (rhs.block, rhs.line)
    }

    public static let start = LinePosition(block: 0, line: 0)
}

/// Where the conversation pane is scrolled to.
///
/// Following the bottom is the normal state: streaming text stays in view. Scrolling up pins
/// the top line instead; scrolling back to the end resumes following.
public struct ConversationScroll: Hashable, Sendable {
    public var followsBottom = true
    /// The top visible line, when not following the bottom.
    public var anchor = LinePosition.start

    public init() {}
}

/// Scroll arithmetic over lazily wrapped blocks: each step wraps only the blocks it passes.
extension PaneContent {
    /// The top line that shows the last `height` lines (the start when everything fits).
    func bottomTop(height: Int) -> LinePosition {
        var remaining = max(1, height)
        var block = blockCount - 1
        while block >= 0 {
            let count = lineCount(ofBlock: block)
            if count >= remaining { return LinePosition(block: block, line: count - remaining) }
            remaining -= count
            block -= 1
        }
        return .start
    }

    /// The top line actually shown for `scroll`.
    func top(for scroll: ConversationScroll, height: Int) -> LinePosition {
        let bottom = bottomTop(height: height)
        guard !scroll.followsBottom, blockCount > 0 else { return bottom }
        var anchor = scroll.anchor
        anchor.block = min(max(0, anchor.block), blockCount - 1)
        anchor.line = min(max(0, anchor.line), lineCount(ofBlock: anchor.block) - 1)
        return min(anchor, bottom)
    }

    /// `position` moved by `delta` lines (negative is up), stopping at the first and last line.
    func moved(_ position: LinePosition, by delta: Int) -> LinePosition {
        guard blockCount > 0 else { return .start }
        var block = position.block
        var line = position.line + delta
        while line < 0 && block > 0 {
            block -= 1
            line += lineCount(ofBlock: block)
        }
        if line < 0 { return .start }
        while block < blockCount - 1 {
            let count = lineCount(ofBlock: block)
            if line < count { break }
            line -= count
            block += 1
        }
        return LinePosition(block: block, line: min(line, lineCount(ofBlock: block) - 1))
    }

    /// `scroll` moved by `delta` lines in a pane `height` rows tall.
    func scrolled(_ scroll: ConversationScroll, by delta: Int, height: Int) -> ConversationScroll {
        let target = moved(top(for: scroll, height: height), by: delta)
        var result = ConversationScroll()
        if target < bottomTop(height: height) {
            result.followsBottom = false
            result.anchor = target
        }
        return result
    }

    /// The first line, unless everything fits (then following the bottom is the same thing).
    func scrolledToTop(height: Int) -> ConversationScroll {
        var result = ConversationScroll()
        if LinePosition.start < bottomTop(height: height) {
            result.followsBottom = false
            result.anchor = .start
        }
        return result
    }

    /// The `height` lines from `top` (fewer at the end).
    func visibleLines(from top: LinePosition, height: Int) -> [PaneLine] {
        var lines: [PaneLine] = []
        var block = top.block
        var line = top.line
        while lines.count < height && block < blockCount {
            let own = ownLines(ofBlock: block)
            let gap = block > 0 ? 1 : 0
            while lines.count < height && line < own.count + gap {
                lines.append(line < gap ? PaneLine([]) : own[line - gap])
                line += 1
            }
            block += 1
            line = 0
        }
        return lines
    }
}
