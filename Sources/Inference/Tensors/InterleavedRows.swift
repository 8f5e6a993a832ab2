import Foundation
import GGUF

#if arch(x86_64)
    import InferenceAVX512
#endif

/// A copy of a Q8_0, Q5_0 or Q4_1 matrix with four rows' blocks side by side, written once at
/// load time for the AVX-512 row runs and prompt panels (`AVX512Dot+Interleaved.swift`
/// describes the layout and why: the runs read four rows at once, and from the file's layout
/// that is four interleaved streams, which this VM's hardware prefetcher follows at half the
/// speed of one).
///
/// Block b of rows 4g...4g+3 is `blockBytes` bytes at `(g * blocks + b) * blockBytes`. Only
/// matrices whose rows are a multiple of four get one (every model's here do). The file's rows
/// stay mapped, their pages released as they are copied: the embedding lookups and the AVX2
/// and portable kernels (a test may run those on the same matrix) map back what they read.
package struct InterleavedRows: @unchecked Sendable {
    // @unchecked: `base` points into memory that `storage` owns and nothing writes after `init`.
    package let base: UnsafeRawPointer
    /// Bytes of one block of four rows.
    package let blockBytes: Int
    /// Bytes of a group of four whole rows.
    package let groupBytes: Int
    private let storage: AnyObject

    /// The interleaved copy of `matrix`, or nil for other types and row counts, and where the
    /// CPU lacks the AVX-512 instructions that write and read it. It is written 4 MB at a time,
    /// each part's source bytes then given to `releasing` (so a file's mapped pages can go
    /// before the next are read, and a 180 MB matrix never needs twice its size in memory).
    package init?(_ matrix: WeightMatrix, releasing: (UnsafeRawBufferPointer) -> Void = { _ in }) {
        #if arch(x86_64)
            guard matrix.rows % 4 == 0, KernelPath.supported.contains(.avx512),
                let blockBytes = Self.blockBytes(matrix.type)
            else { return nil }
            let blocks = matrix.columns / 32
            let storage = InterleavedStorage(byteCount: matrix.rows / 4 * blocks * blockBytes)
            let write =
                switch matrix.type {
                case .q8_0: AVX512Dot.Interleaved.writeQ8_0
                case .q5_0: AVX512Dot.Interleaved.writeQ5_0
                default: AVX512Dot.Interleaved.writeQ4_1
                }
            let groups = matrix.rows / 4
            let part = max(1, Self.partBytes / (4 * matrix.rowBytes))
            for first in stride(from: 0, to: groups, by: part) {
                let end = min(groups, first + part)
                write(matrix.base, matrix.rowBytes, first..<end, blocks, storage.bytes)
                releasing(
                    UnsafeRawBufferPointer(start: matrix.row(4 * first), count: 4 * (end - first) * matrix.rowBytes))
            }
            self.init(
                base: UnsafeRawPointer(storage.bytes), blockBytes: blockBytes, groupBytes: blocks * blockBytes,
                storage: storage)
        #else
            return nil
        #endif
    }

    /// Source bytes written between two calls of `releasing`.
    static let partBytes = 4 << 20

    private init(base: UnsafeRawPointer, blockBytes: Int, groupBytes: Int, storage: AnyObject) {
        self.base = base
        self.blockBytes = blockBytes
        self.groupBytes = groupBytes
        self.storage = storage
    }

    /// Rows `range` (both ends multiples of four), viewing the same bytes; nil otherwise.
    package func rows(_ range: Range<Int>) -> InterleavedRows? {
        guard range.lowerBound % 4 == 0, range.upperBound % 4 == 0 else { return nil }
        return InterleavedRows(
            base: group(range.lowerBound / 4), blockBytes: blockBytes, groupBytes: groupBytes, storage: storage)
    }

    /// The first byte of rows 4g...4g+3.
    @inline(__always)
    package func group(_ g: Int) -> UnsafeRawPointer { base + g * groupBytes }

    /// Bytes of a block of four rows of `type`, or nil when it has no interleaved layout.
    static func blockBytes(_ type: GGMLType) -> Int? {
        #if arch(x86_64)
            switch type {
            case .q8_0: AVX512Dot.Interleaved.q8_0
            case .q5_0: AVX512Dot.Interleaved.q5_0
            case .q4_1: AVX512Dot.Interleaved.q4_1
            default: nil
            }
        #else
            nil
        #endif
    }
}

/// The interleaved bytes: an anonymous mapping (page-aligned) asking for transparent huge
/// pages, so writing a copy of a 180 MB output matrix takes a hundred page faults rather than
/// tens of thousands. Unmapped with the last matrix that views it.
private final class InterleavedStorage {
    let bytes: UnsafeMutableRawPointer
    private let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = max(byteCount, 64)
        if let mapped = mmap(nil, self.byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            mapped != MAP_FAILED
        {
            _ = madvise(mapped, self.byteCount, MADV_HUGEPAGE)
            bytes = mapped
        } else {
            bytes = UnsafeMutableRawPointer.allocate(byteCount: self.byteCount, alignment: 64)
            isMapped = false
            return
        }
        isMapped = true
    }

    private let isMapped: Bool

    deinit {
        if isMapped { _ = munmap(bytes, byteCount) } else { bytes.deallocate() }
    }
}
