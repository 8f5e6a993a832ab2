import Testing

@testable import Inference

/// `KVCells` as a ring (`KVPool` of a sliding window): releasing a sequence's oldest positions
/// frees exactly the cells no other sequence shares, new runs start at the lowest free cell,
/// and truncation, forks and resets respect what was released.
struct KVCellsRingTests {
    @Test func releaseFreesOldCellsAndTheRingReusesThem() throws {
        var cells = KVCells(capacity: 8, chunk: 2, ring: true)
        for _ in 0..<6 { _ = cells.append(0) }
        #expect(cells.sequences[0]?.spans == [0..<6] && cells.cellsInUse == 6)
        cells.release(0, before: 3)
        #expect(cells.released(of: 0) == 3 && cells.sequences[0]?.spans == [3..<6] && cells.cellsInUse == 3)
        // The next run starts at the lowest free cell, not after the sequence's last one.
        #expect(cells.append(0) == 0)
        #expect(cells.sequences[0]?.spans == [3..<6, 0..<1] && cells.length(of: 0) == 7)

        // A fork shares the held cells; releasing them from one keeps them for the other.
        cells.create(1, from: 0, length: 7)
        #expect(cells.cellsInUse == 4 && cells.released(of: 1) == 3)
        cells.release(0, before: 6)
        #expect(cells.sequences[0]?.spans == [0..<1] && cells.cellsInUse == 4)
        cells.remove(1)
        #expect(cells.cellsInUse == 1)

        // Truncating to 0 starts over; a reset restores a ring's last positions.
        cells.truncate(0, to: 0)
        #expect(cells.released(of: 0) == 0 && cells.cellsInUse == 0)
        cells.reset(to: 0, length: 10, released: 7)
        #expect(cells.sequences[0]?.spans == [0..<3] && cells.length(of: 0) == 10 && cells.released(of: 0) == 7)
        cells.release(0, before: 7)
        #expect(cells.cellsInUse == 3)
    }

    /// Outside a ring a long prompt still takes one run in place (the single-sequence layout).
    @Test func theMainPoolGrowsInPlace() {
        var cells = KVCells(capacity: 64, chunk: 4)
        for t in 0..<40 { _ = cells.append(0, upcoming: 40 - t) }
        #expect(cells.sequences[0]?.spans == [0..<40] && cells.isCompact(0))
    }
}
