import GGUF
import TestSupport
import Testing

/// Broken tensor records: shapes, types, names and data placement.
@Suite struct TensorErrorTests {
    /// `SampleFiles.minimal()` with its second tensor ("b", Q8_0 [32, 2]) replaced by `tensor`.
    static func replacingSecondTensor(with tensor: GGUFWriter.Tensor) -> (
        bytes: [UInt8], info: GGUFWriter.Layout.TensorInfo
    ) {
        var writer = SampleFiles.minimal()
        writer.tensors[1] = tensor
        let (bytes, layout) = writer.build()
        return (bytes, layout.tensorInfos[1])
    }

    @Test func zeroDimensionsAreRefused() {
        let (bytes, info) = Self.replacingSecondTensor(
            with: .init(name: "b", typeID: 0, dimensions: [], data: [0, 0, 0, 0]))
        expectError(bytes, .invalidShape, at: info.dimensionCount)
    }

    @Test(arguments: [UInt32(5), 16, .max])
    func tooManyDimensionsAreRefused(count: UInt32) {
        let tensor = GGUFWriter.Tensor(
            name: "b", typeID: 0, dimensions: [1, 1, 1, 1, 1], data: [0, 0, 0, 0],
            dimensionCountOverride: count)
        let (bytes, info) = Self.replacingSecondTensor(with: tensor)
        let error = expectError(bytes, .invalidShape, at: info.dimensionCount)
        #expect(error?.description.contains("\(count) dimensions") == true)
    }

    @Test func aZeroDimensionIsRefusedAtThatDimension() {
        let (bytes, info) = Self.replacingSecondTensor(with: .init(name: "b", typeID: 0, dimensions: [4, 0, 2]))
        expectError(bytes, .invalidShape, at: info.dimensions + 8)
    }

    @Test(arguments: [[UInt64(1) << 32, 1 << 32], [1 << 62, 2], [3, 1 << 62, 1], [1 << 63], [.max]])
    func dimensionsWhoseProductOverflowsAreRefused(dimensions: [UInt64]) {
        let (bytes, info) = Self.replacingSecondTensor(with: .init(name: "b", typeID: 0, dimensions: dimensions))
        // A single dimension above 2^63-1 is refused itself; otherwise the second one overflows.
        expectError(bytes, .invalidShape, at: dimensions.count == 1 ? info.dimensions : info.dimensions + 8)
    }

    @Test func byteSizeThatOverflowsIsRefusedAtTheType() {
        // 2^62 F32 elements fit an Int, their 2^64 bytes do not.
        let (bytes, info) = Self.replacingSecondTensor(
            with: .init(name: "b", typeID: 0, dimensions: [1 << 31, 1 << 31]))
        expectError(bytes, .invalidShape, at: info.type)
    }

    @Test(arguments: [UInt32(4), 5, 31, 32, 33, 36, 37, 38, 42, 1000, .max])
    func unknownTensorTypeIsRefusedAtItsTypeField(typeID: UInt32) {
        let (bytes, info) = Self.replacingSecondTensor(with: .init(name: "b", typeID: typeID, dimensions: [256]))
        let error = expectError(bytes, .unknownTensorType, at: info.type)
        #expect(error == .unknownTensorType(typeID, tensor: "b", offset: info.type))
    }

    @Test(arguments: [(GGMLType.q4_0, 16), (.q8_0, 33), (.q4_K, 128), (.q6_K, 576), (.iq4_NL, 1), (.nvfp4, 32)])
    func rowNotAMultipleOfTheBlockSizeIsRefusedAtTheRowLength(type: GGMLType, row: Int) {
        let (bytes, info) = Self.replacingSecondTensor(
            with: .init(
                name: "b", typeID: type.rawValue, dimensions: [UInt64(row), 2], data: [UInt8](repeating: 0, count: 4096)
            ))
        let error = expectError(bytes, .invalidShape, at: info.dimensions)
        #expect(error?.description.contains("block size \(type.blockSize)") == true)
    }

    @Test func duplicateTensorNameIsRefusedAtTheSecondRecord() {
        var writer = SampleFiles.minimal()
        writer.tensors[1].name = "a"
        let layout = writer.layout()
        let error = expectError(writer.bytes(), .duplicateTensorName, at: layout.tensorInfos[1].start)
        #expect(error == .duplicateTensorName("a", offset: layout.tensorInfos[1].start))
    }

    @Test(arguments: [UInt64(1), 8, 16, 31, 33])
    func misalignedDataOffsetIsRefusedAtTheOffsetField(offset: UInt64) {
        var writer = SampleFiles.minimal()
        writer.tensors[1].offsetOverride = offset
        let field = writer.layout().tensorInfos[1].dataOffsetField
        let error = expectError(writer.bytes(), .misalignedTensorOffset, at: field)
        #expect(error == .misalignedTensorOffset(tensor: "b", tensorOffset: offset, alignment: 32, offset: field))
    }

    @Test(arguments: [UInt64(1) << 40, 1 << 63, UInt64.max & ~31, 64])
    func dataPastTheEndIsRefusedAtTheOffsetField(offset: UInt64) {
        var writer = SampleFiles.minimal()
        writer.tensors[1].offsetOverride = offset
        let field = writer.layout().tensorInfos[1].dataOffsetField
        expectError(writer.bytes(), .tensorOutOfBounds, at: field)
    }

    @Test func lastTensorCutShortIsOutOfBounds() {
        var writer = SampleFiles.minimal()
        let layout = writer.layout()
        writer.truncate(at: layout.tensorData[1].upperBound - 1)
        expectError(writer.bytes(), .tensorOutOfBounds, at: layout.tensorInfos[1].dataOffsetField)
    }

    @Test func tensorNameLengthPastTheEndIsTruncated() {
        var writer = SampleFiles.minimal()
        let info = writer.layout().tensorInfos[0]
        writer.patch(at: info.start, UInt64.max)
        expectError(writer.bytes(), .truncated, at: info.start)
    }

    @Test func missingPaddingBeforeDataIsTruncated() {
        var writer = GGUFWriter()
        writer.add("k", .uint8(1))
        writer.addTensor(name: "t", floats: [1], dimensions: [1])
        let layout = writer.layout()
        #expect(layout.dataStart > layout.paddingStart, "the sample must need padding")
        writer.truncate(at: layout.paddingStart + 1)
        expectError(writer.bytes(), .truncated, at: layout.paddingStart)
    }

    /// Tensors may share bytes or come in any order: the reader only needs each one inside the
    /// file (gguf-py agrees; ggml additionally wants them packed in order).
    @Test func overlappingTensorsParse() {
        var writer = SampleFiles.minimal()
        writer.tensors[1].offsetOverride = 0
        let file = parse(writer.bytes())
        #expect(file?.tensors.map(\.rawOffset) == [0, 0])
    }
}
