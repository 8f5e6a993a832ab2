/// Which cache cells hold which sequence's keys and values: the bookkeeping of the batch API.
///
/// The cache (`KVCache`) is a flat array of `capacity` cells. A sequence is its list of cell
/// spans in position order: position `p` of the sequence lives in the `p`-th cell of the
/// concatenated spans. Forking a sequence shares its spans (each cell counts its users), so a
/// prompt's keys and values are stored once however many alternatives continue from it; a
/// cell is free again when no sequence uses it.
///
/// Each sequence reserves a few cells ahead of its end (`chunk`), so sequences growing one
/// token per step side by side still get runs of cells rather than interleaved single cells,
/// and attention streams a handful of spans per sequence. A lone sequence started in an empty
/// cache grows from cell 0 as one span, exactly the layout of a single-sequence cache, so its
/// attention (and every logit) is unchanged by this layer.
///
/// A ring (the cells of sliding-window layers, `KVPool`) also drops a sequence's oldest
/// positions once no query can see them (`release`): its spans then cover positions
/// `released..<length`, and the freed cells are reused lowest first, so a long sequence cycles
/// through the same few cells instead of walking the whole store.
struct KVCells {
    /// One sequence: its spans (cell ranges) in position order and its reserved growth room.
    struct Sequence {
        /// Cells of positions `released..<length`, in position order.
        var spans: [Range<Int>] = []
        var length = 0
        /// Positions dropped from the front (always 0 outside a ring).
        var released = 0
        /// Free cells set aside for this sequence's next positions (taken from the front).
        var reserve: Range<Int> = 0..<0
    }

    let capacity: Int
    /// Cells reserved ahead of a sequence's end when it needs a new run.
    let chunk: Int
    /// Whether this is a ring: runs are `chunk` cells taken from the lowest free cell, whatever
    /// a sequence's length (outside a ring a run grows in place and covers a whole prompt).
    let ring: Bool
    /// Users of each cell: sequences whose spans include it; -1 marks a reserved cell.
    private var users: [Int32]
    private(set) var sequences: [Int: Sequence] = [:]
    /// Cells holding at least one sequence's position.
    private(set) var cellsInUse = 0
    /// Cells neither in use nor reserved.
    private(set) var freeCells: Int

    init(capacity: Int, chunk: Int = 32, ring: Bool = false) {
        self.capacity = capacity
        self.chunk = max(1, chunk)
        self.ring = ring
        users = Array(repeating: 0, count: capacity)
        freeCells = capacity
    }

    func length(of id: Int) -> Int { sequences[id]?.length ?? 0 }

    /// The first position `id` still holds (0 unless a ring released older ones).
    func released(of id: Int) -> Int { sequences[id]?.released ?? 0 }

    /// Cells a sequence could still take: the free ones plus its own reserve.
    func available(to id: Int) -> Int { freeCells + (sequences[id]?.reserve.count ?? 0) }

    /// Makes `id` a sequence holding the first `length` positions of `source` (a fork), or an
    /// empty sequence when `source` is nil. An existing `id` is replaced. A fork of a ring's
    /// sequence shares the positions the source still holds: `length` is 0 or not below them.
    mutating func create(_ id: Int, from source: Int? = nil, length: Int = 0) {
        remove(id)
        var sequence = Sequence()
        if let source, let parent = sequences[source], length > 0 {
            precondition(
                length >= parent.released && length <= parent.length,
                "fork length \(length) of \(parent.released)..<\(parent.length)")
            sequence.spans = Self.prefix(parent.spans, length - parent.released)
            sequence.length = length
            sequence.released = parent.released
            for span in sequence.spans { for cell in span { retain(cell) } }
        }
        sequences[id] = sequence
    }

    /// Forgets sequence `id`, freeing the cells no other sequence uses.
    mutating func remove(_ id: Int) {
        guard let sequence = sequences.removeValue(forKey: id) else { return }
        for span in sequence.spans { for cell in span { release(cell) } }
        unreserve(sequence.reserve)
    }

    /// Keeps the first `length` positions of `id` (in a ring: 0, or not below those it holds).
    mutating func truncate(_ id: Int, to length: Int) {
        guard var sequence = sequences.removeValue(forKey: id) else { return }
        defer { sequences[id] = sequence }
        precondition(length >= 0 && length <= sequence.length, "cannot truncate to \(length) of \(sequence.length)")
        guard length < sequence.length else { return }
        let kept = length == 0 ? 0 : length - sequence.released
        precondition(kept >= 0, "cannot truncate to \(length): positions before \(sequence.released) are released")
        for span in Self.suffix(sequence.spans, from: kept) { for cell in span { release(cell) } }
        sequence.spans = Self.prefix(sequence.spans, kept)
        sequence.length = length
        if length == 0 { sequence.released = 0 }
        // The reserve may no longer adjoin the end; give it back so growth restarts at the end.
        unreserve(sequence.reserve)
        sequence.reserve = 0..<0
    }

    /// Frees the cells of `id`'s positions before `position` (a ring's oldest, which no query
    /// sees any more); does nothing when they are already released. Runs after every decoding
    /// step, so it edits the span list in place rather than building a new one.
    mutating func release(_ id: Int, before position: Int) {
        guard let released = sequences[id]?.released, position > released,
            var sequence = sequences.removeValue(forKey: id)
        else { return }
        defer { sequences[id] = sequence }
        precondition(position <= sequence.length, "cannot release up to \(position) of \(sequence.length)")
        var remaining = position - released
        var whole = 0
        while remaining > 0, whole < sequence.spans.count, sequence.spans[whole].count <= remaining {
            for cell in sequence.spans[whole] { release(cell) }
            remaining -= sequence.spans[whole].count
            whole += 1
        }
        sequence.spans.removeFirst(whole)
        if remaining > 0 {
            let first = sequence.spans[0]
            for cell in first.lowerBound..<(first.lowerBound + remaining) { release(cell) }
            sequence.spans[0] = (first.lowerBound + remaining)..<first.upperBound
        }
        sequence.released = position
    }

    /// Takes the cell for the next position of `id` (creating the sequence if needed); nil
    /// when every cell is taken. `upcoming` (≥ 1) is how many positions the caller will add
    /// now, so a long prompt reserves one run for all of them.
    mutating func append(_ id: Int, upcoming: Int = 1) -> Int? {
        // Moved out of the dictionary and back, so its span list is mutated without a copy.
        var sequence = sequences.removeValue(forKey: id) ?? Sequence()
        defer { sequences[id] = sequence }
        if sequence.reserve.isEmpty {
            let wanted = ring ? chunk : max(chunk, upcoming)
            guard let run = takeRun(after: sequence.spans.last?.upperBound ?? 0, wanted: wanted) else {
                return nil
            }
            sequence.reserve = run
        }
        let cell = sequence.reserve.lowerBound
        sequence.reserve = (cell + 1)..<sequence.reserve.upperBound
        users[cell] = 1
        cellsInUse += 1
        if let last = sequence.spans.last, last.upperBound == cell {
            sequence.spans[sequence.spans.count - 1] = last.lowerBound..<(cell + 1)
        } else {
            sequence.spans.append(cell..<(cell + 1))
        }
        sequence.length += 1
        return cell
    }

    /// Whether `id` is one span starting at cell 0 (the single-sequence layout).
    func isCompact(_ id: Int) -> Bool {
        guard let spans = sequences[id]?.spans else { return true }
        return spans.isEmpty || (spans.count == 1 && spans[0].lowerBound == 0)
    }

    /// Declares `id` the only sequence, of `length` positions whose last `length - released`
    /// are in cells `0..<(length - released)` (after the caller moved its keys and values there,
    /// or restored them from a snapshot). Every other sequence is gone.
    mutating func reset(to id: Int, length: Int, released: Int = 0) {
        let held = length - released
        precondition(released >= 0 && held >= 0 && held <= capacity)
        sequences = [:]
        for cell in 0..<capacity { users[cell] = cell < held ? 1 : 0 }
        cellsInUse = held
        freeCells = capacity - held
        var sequence = Sequence()
        if held > 0 { sequence.spans = [0..<held] }
        sequence.length = length
        sequence.released = released
        sequences[id] = sequence
    }

    /// Makes `id`, renamed `newID`, the only sequence, its cells where they are (a ring needs no
    /// compaction: its attention reads spans in position order wherever they lie).
    mutating func keepOnly(_ id: Int, as newID: Int) {
        let kept = sequences[id]
        for other in sequences.keys where other != id { remove(other) }
        sequences = [:]
        if let kept { sequences[newID] = kept } else { sequences[newID] = Sequence() }
    }

    // MARK: - Cells

    private mutating func retain(_ cell: Int) {
        precondition(users[cell] > 0, "a shared cell must be in use")
        users[cell] += 1
    }

    private mutating func release(_ cell: Int) {
        precondition(users[cell] > 0, "released a cell not in use")
        users[cell] -= 1
        if users[cell] == 0 {
            cellsInUse -= 1
            freeCells += 1
        }
    }

    private mutating func unreserve(_ run: Range<Int>) {
        for cell in run where users[cell] == -1 {
            users[cell] = 0
            freeCells += 1
        }
    }

    /// Reserves a run of free cells: the one starting at `start` if that cell is free (so a
    /// sequence keeps growing in place), else the first free run; at most `wanted` cells. When
    /// nothing is free, other sequences' reserves are given back first.
    private mutating func takeRun(after start: Int, wanted: Int) -> Range<Int>? {
        if freeCells == 0 { reclaimReserves() }
        guard freeCells > 0 else { return nil }
        var first = !ring && start < capacity && users[start] == 0 ? start : -1
        if first < 0 {
            guard let found = users.firstIndex(of: 0) else { return nil }
            first = found
        }
        var end = first
        while end < capacity, end - first < wanted, users[end] == 0 {
            users[end] = -1
            end += 1
        }
        freeCells -= end - first
        return first..<end
    }

    private mutating func reclaimReserves() {
        for (id, sequence) in sequences where !sequence.reserve.isEmpty {
            unreserve(sequence.reserve)
            sequences[id]?.reserve = 0..<0
        }
    }

    // MARK: - Spans

    /// The spans covering positions `0..<length`.
    static func prefix(_ spans: [Range<Int>], _ length: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var remaining = length
        for span in spans where remaining > 0 {
            let take = min(span.count, remaining)
            result.append(span.lowerBound..<(span.lowerBound + take))
            remaining -= take
        }
        return result
    }

    /// The spans covering positions `from...`.
    static func suffix(_ spans: [Range<Int>], from start: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var skip = start
        for span in spans {
            if skip >= span.count {
                skip -= span.count
                continue
            }
            result.append((span.lowerBound + skip)..<span.upperBound)
            skip = 0
        }
        return result
    }
}
