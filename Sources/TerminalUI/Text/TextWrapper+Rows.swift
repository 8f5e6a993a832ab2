/// The two line-breaking strategies, as ranges of glyph indices per display line.
extension TextWrapper {
    /// Greedy word wrap: `first` columns on the first line, `rest` on the others.
    static func wordRows(_ glyphs: [Glyph], first: Int, rest: Int) -> [Range<Int>] {
        var rows: [Range<Int>] = []
        var rowStart = 0
        var rowWidth = 0
        var available = first
        var index = 0
        func endRow(at end: Int, nextStart: Int) {
            rows.append(rowStart..<end)
            rowStart = nextStart
            rowWidth = 0
            available = rest
        }
        while index < glyphs.count {
            let runEnd = endOfRun(glyphs, from: index)
            let runWidth = glyphs[index..<runEnd].reduce(0) { $0 + $1.width }
            if glyphs[index].isSpace {
                if rowWidth == 0 && runWidth >= available { // indentation as wide as the line
                    rowStart = runEnd
                } else if rowWidth + runWidth > available {
                    if runEnd == glyphs.count { // trailing spaces past the edge: drop them
                        rows.append(rowStart..<index)
                        return rows
                    }
                    endRow(at: index, nextStart: runEnd)
                } else {
                    rowWidth += runWidth
                }
                index = runEnd
                continue
            }
            if rowWidth + runWidth <= available {
                rowWidth += runWidth
                index = runEnd
                continue
            }
            if rowWidth > 0 && runWidth <= rest {
                endRow(at: trimSpaces(glyphs, rowStart, index), nextStart: index)
                continue
            }
            // A word longer than a whole line: fill this line, then break between clusters.
            for position in index..<runEnd {
                let width = glyphs[position].width
                if rowWidth + width > available && position > rowStart && rowWidth > 0 {
                    // Breaking before the word's first cluster drops the spaces before it.
                    endRow(at: position == index ? trimSpaces(glyphs, rowStart, index) : position, nextStart: position)
                }
                rowWidth += width
            }
            index = runEnd
        }
        rows.append(rowStart..<glyphs.count)
        return rows
    }

    /// Hard wrap: break exactly at the width, keeping spaces (for code).
    static func hardRows(_ glyphs: [Glyph], first: Int, rest: Int) -> [Range<Int>] {
        var rows: [Range<Int>] = []
        var rowStart = 0
        var rowWidth = 0
        var available = first
        for (position, glyph) in glyphs.enumerated() {
            if rowWidth + glyph.width > available && position > rowStart && rowWidth > 0 {
                rows.append(rowStart..<position)
                rowStart = position
                rowWidth = 0
                available = rest
            }
            rowWidth += glyph.width
        }
        rows.append(rowStart..<glyphs.count)
        return rows
    }

    /// The end of the run of spaces, or of non-spaces, starting at `start`.
    private static func endOfRun(_ glyphs: [Glyph], from start: Int) -> Int {
        let space = glyphs[start].isSpace
        var end = start + 1
        while end < glyphs.count && glyphs[end].isSpace == space { end += 1 }
        return end
    }

    /// `end` moved back over trailing spaces, but not before `start`.
    private static func trimSpaces(_ glyphs: [Glyph], _ start: Int, _ end: Int) -> Int {
        var trimmed = end
        while trimmed > start && glyphs[trimmed - 1].isSpace { trimmed -= 1 }
        return trimmed
    }
}
