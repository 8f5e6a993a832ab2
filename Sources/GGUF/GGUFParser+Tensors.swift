/// Reading one record of the tensor table and checking its shape against its type.
extension GGUFParser {
    /// Reads a tensor record; returns it with the file offset of its data-offset field, which is
    /// where placement errors (misaligned, out of bounds) are reported once the data section is known.
    ///
    /// Stricter than ggml on purpose: a tensor needs 1 to 4 dimensions, each at least 1 (ggml also
    /// accepts 0 dimensions and empty tensors, which no model uses and the engine cannot compute with).
    mutating func readTensorInfo() throws(GGUFError) -> (GGUFTensorInfo, offsetField: Int) {
        let name = try reader.readString("tensor name")
        let dimCountOffset = reader.offset
        let dimCount = try reader.read(UInt32.self, "dimension count of tensor '\(name)'")
        guard dimCount >= 1, dimCount <= Self.maxDimensions else {
            throw .invalidShape(
                tensor: name, reason: "\(dimCount) dimensions (1 to \(Self.maxDimensions) allowed)",
                offset: dimCountOffset)
        }
        var dimensions: [Int] = []
        dimensions.reserveCapacity(Int(dimCount))
        var elements = 1
        var rowOffset = 0
        for index in 0..<Int(dimCount) {
            let dimOffset = reader.offset
            if index == 0 { rowOffset = dimOffset }
            let raw = try reader.read(UInt64.self, "dimension \(index) of tensor '\(name)'")
            guard raw > 0 else {
                throw .invalidShape(tensor: name, reason: "dimension \(index) is 0", offset: dimOffset)
            }
            guard let dim = Int(exactly: raw) else {
                throw .invalidShape(
                    tensor: name, reason: "dimension \(index) is \(raw), above 2^63-1", offset: dimOffset)
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw .invalidShape(
                    tensor: name, reason: "the element count overflows at dimension \(index)",
                    offset: dimOffset)
            }
            elements = product
            dimensions.append(dim)
        }
        let typeOffset = reader.offset
        let rawType = try reader.read(UInt32.self, "type of tensor '\(name)'")
        guard let type = GGMLType(rawValue: rawType) else {
            throw .unknownTensorType(rawType, tensor: name, offset: typeOffset)
        }
        guard dimensions[0] % type.blockSize == 0 else {
            throw .invalidShape(
                tensor: name,
                reason: "row length \(dimensions[0]) is not a multiple of \(type)'s block size \(type.blockSize)",
                offset: rowOffset)
        }
        guard let byteCount = type.byteCount(elements: elements) else {
            throw .invalidShape(
                tensor: name, reason: "the size in bytes of \(elements) \(type) elements overflows",
                offset: typeOffset)
        }
        let offsetField = reader.offset
        let offset = try reader.read(UInt64.self, "data offset of tensor '\(name)'")
        let tensor = GGUFTensorInfo(
            name: name, dimensions: dimensions, type: type,
            rawOffset: offset, byteCount: byteCount, elementCount: elements)
        return (tensor, offsetField)
    }
}
