import GGUF
import TestSupport
import Testing

/// Files written by `GGUFWriter` read back as exactly what was written: every value type, nested
/// arrays, both supported versions, custom alignments and tensors of every ggml type.
@Suite struct RoundTripTests {
    @Test(arguments: [UInt32(2), 3])
    func everyValueTypeAndNestedArraysRoundTrip(version: UInt32) throws {
        let writer = SampleFiles.everything(version: version)
        let file = try #require(parse(writer.bytes()))
        #expect(file.version == version)
        #expect(file.metadata.keys == writer.entries.map(\.key))
        for entry in writer.entries {
            guard case .value(let expected) = entry.payload else { continue }
            let found = try #require(file.metadata[entry.key], "\(entry.key)")
            #expect(Self.sameBits(found, expected), "\(entry.key): \(found) != \(expected)")
        }
        #expect(file.alignment == 32)
        #expect(file.dataOffset == writer.layout().dataStart)
    }

    @Test func typedAccessorsReadTheirTypes() throws {
        let file = try #require(parse(SampleFiles.everything().bytes()))
        let metadata = file.metadata
        #expect(metadata.int("test.u8") == 255)
        #expect(metadata.int("test.i64") == Int(Int64.min))
        #expect(metadata.int("test.u64") == nil, "2^64-1 does not fit an Int")
        #expect(metadata.double("test.f64") == .pi)
        #expect(metadata.bool("test.bool_true") == true)
        #expect(metadata.string("test.string") == "héllo, 世界 🦙")
        #expect(metadata.string("test.string_nul")?.utf8.count == 3)
        #expect(
            metadata.stringArray("array.string")
                == Array(repeating: ["héllo, 世界 🦙", "", "a\u{0}b"], count: 2).flatMap { $0 })
        #expect(metadata.intArray("array.int32") == [Int(Int32.min), Int(Int32.min)])
        #expect(metadata.floatArray("array.empty_float32") == [])
        #expect(metadata.stringArray("test.string") == nil)
        #expect(file.architecture == "llama")
    }

    @Test func emptyArraysKeepTheirElementType() throws {
        let file = try #require(parse(SampleFiles.everything().bytes()))
        for type in GGUFValueType.allCases where type != .array {
            #expect(file.metadata["array.empty_\(type)"] == .array(elementType: type, elements: []))
        }
        #expect(file.metadata["array.empty_of_arrays"] == .array(elementType: .array, elements: []))
    }

    @Test func nanAndInfinityKeepTheirBits() throws {
        var writer = GGUFWriter()
        let nan = Float(bitPattern: 0x7FC0_1234)
        writer.add("f32.nan", .float32(nan))
        writer.add("f64.nan", .float64(Double(bitPattern: 0xFFF8_0000_0000_0042)))
        writer.add("f32s", .float32s([.infinity, -.infinity, nan]))
        let file = try #require(parse(writer.bytes()))
        for key in ["f32.nan", "f64.nan", "f32s"] {
            let found = try #require(file.metadata[key])
            guard case .value(let expected) = writer.entries.first(where: { $0.key == key })?.payload else { continue }
            #expect(Self.sameBits(found, expected), "\(key)")
        }
    }

    @Test(arguments: [8, 16, 64, 256, 4096, 1 << 20])
    func customAlignmentPlacesDataOnItsMultiples(alignment: Int) throws {
        var writer = SampleFiles.minimal()
        writer.setAlignment(alignment)
        let (bytes, layout) = writer.build()
        let file = try #require(parse(bytes))
        #expect(file.alignment == alignment)
        #expect(file.dataOffset == layout.dataStart)
        #expect(file.dataOffset % alignment == 0)
        for (index, tensor) in file.tensors.enumerated() {
            #expect(tensor.rawOffset % UInt64(alignment) == 0)
            #expect(Array(file.data(for: tensor)) == writer.tensors[index].data)
        }
    }

    @Test(arguments: GGMLType.allCases)
    func tensorsOfEveryTypeRoundTrip(type: GGMLType) throws {
        var writer = GGUFWriter()
        var random = SeededRandom(seed: UInt64(type.rawValue))
        let shape = [type.blockSize * 2, 3, 1, 2]
        let byteCount = try #require(type.byteCount(elements: shape.reduce(1, *)))
        let data = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        writer.addTensor(name: "first", type: .f32, dimensions: [5])
        writer.addTensor(name: "t.\(type)", type: type, dimensions: shape, data: data)
        let file = try #require(parse(writer.bytes()))
        let tensor = try #require(file.tensor(named: "t.\(type)"))
        #expect(tensor.type == type)
        #expect(tensor.dimensions == shape)
        #expect(tensor.elementCount == shape.reduce(1, *))
        #expect(tensor.rowLength == type.blockSize * 2)
        #expect(tensor.rowCount == 6)
        #expect(tensor.byteCount == byteCount)
        #expect(Array(file.data(for: tensor)) == data)
        #expect(file.data(named: "missing") == nil)
    }

    @Test func fileWithoutTensorsMayEndWithoutPadding() throws {
        var writer = GGUFWriter()
        writer.add("general.architecture", .string("x"))
        let (bytes, layout) = writer.build()
        #expect(bytes.count % 32 != 0, "the sample must need padding to prove the point")
        let file = try #require(parse(bytes))
        #expect(file.tensors.isEmpty)
        #expect(file.dataOffset == (bytes.count + 31) / 32 * 32)
        #expect(layout.end == bytes.count)
    }

    @Test func emptyFileHasNoKeysAndNoTensors() throws {
        let file = try #require(parse(GGUFWriter().bytes()))
        #expect(file.metadata.count == 0)
        #expect(file.tensors.isEmpty)
        #expect(file.fileSize == 24)
    }

    /// Equality that compares floats by their bits, so NaN payloads and -0.0 count.
    static func sameBits(_ a: GGUFValue, _ b: GGUFValue) -> Bool {
        switch (a, b) {
        case (.float32(let x), .float32(let y)): return x.bitPattern == y.bitPattern
        case (.float64(let x), .float64(let y)): return x.bitPattern == y.bitPattern
        case (.array(let xs), .array(let ys)):
            return xs.elementType == ys.elementType && xs.count == ys.count
                && zip(xs, ys).allSatisfy { sameBits($0, $1) }
        default: return a == b
        }
    }
}
