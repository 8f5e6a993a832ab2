/// Where the sections and fields of a file built by `GGUFWriter` start.
///
/// Offsets are absolute byte positions in the unpatched, untruncated output, so tests can patch
/// a field (e.g. the length of a string value) or truncate exactly at a section boundary.
extension GGUFWriter {
    public struct Layout: Sendable, Equatable {
        /// One metadata pair: its key's length field, its type id, its value and its end.
        public struct KeyValue: Sendable, Equatable {
            public var key: String
            /// The key's u64 length field (the start of the pair).
            public var start: Int
            /// The u32 value type id.
            public var valueType: Int
            /// The value itself (for strings, their u64 length; for arrays, their element type).
            public var value: Int
            /// One past the last byte of the pair.
            public var end: Int
        }

        /// One tensor record and the fields inside it.
        public struct TensorInfo: Sendable, Equatable {
            public var name: String
            /// The name's u64 length field (the start of the record).
            public var start: Int
            /// The u32 dimension count.
            public var dimensionCount: Int
            /// The first u64 dimension.
            public var dimensions: Int
            /// The u32 type id.
            public var type: Int
            /// The u64 data offset field.
            public var dataOffsetField: Int
            /// One past the last byte of the record.
            public var end: Int
        }

        public var magic = 0
        public var version = 4
        public var tensorCount = 8
        public var keyCount = 16
        public var keyValues: [KeyValue] = []
        /// Where the tensor table starts (right after the last pair).
        public var tensorInfosStart = 24
        public var tensorInfos: [TensorInfo] = []
        /// Where the padding before the data section starts (right after the tensor table).
        public var paddingStart = 24
        /// The aligned start of the data section.
        public var dataStart = 24
        /// Absolute byte ranges of each tensor's data, in tensor order.
        public var tensorData: [Range<Int>] = []
        /// The size of the whole unpatched file.
        public var end = 24

        /// Every section and field start, sorted and without repeats, ending with `end`.
        /// Cutting a file at any of these but `end` must give an error (for a file with tensors,
        /// or whose last section is metadata).
        public var boundaries: [Int] {
            var points = [magic, version, tensorCount, keyCount, tensorInfosStart, paddingStart, dataStart, end]
            for pair in keyValues { points += [pair.start, pair.start + 8, pair.valueType, pair.value] }
            for info in tensorInfos {
                points += [
                    info.start, info.start + 8, info.dimensionCount, info.dimensions, info.type, info.dataOffsetField
                ]
            }
            points += tensorData.map(\.lowerBound)
            return Array(Set(points.filter { $0 <= end })).sorted()
        }
    }
}
