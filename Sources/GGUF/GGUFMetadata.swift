/// The key/value metadata of a GGUF file, in file order, with typed look-ups.
public struct GGUFMetadata: Sendable, Equatable {
    /// Keys in the order the file lists them.
    public private(set) var keys: [String] = []
    private var values: [String: GGUFValue] = [:]

    public init() {}

    /// Adds a pair; returns false (and changes nothing) when the key is already present.
    @discardableResult
    public mutating func insert(_ key: String, _ value: GGUFValue) -> Bool {
        guard values[key] == nil else { return false }
        keys.append(key)
        values[key] = value
        return true
    }

    public subscript(key: String) -> GGUFValue? { values[key] }

    public var count: Int { keys.count }

    public func string(_ key: String) -> String? { values[key]?.string }
    public func int(_ key: String) -> Int? { values[key]?.int }
    public func double(_ key: String) -> Double? { values[key]?.double }
    public func float(_ key: String) -> Float? { values[key]?.double.map(Float.init) }
    public func bool(_ key: String) -> Bool? { values[key]?.bool }

    /// A string array, or nil when the key is missing or any element is not a string.
    public func stringArray(_ key: String) -> [String]? {
        guard let elements = values[key]?.array else { return nil }
        var result: [String] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let string = element.string else { return nil }
            result.append(string)
        }
        return result
    }

    /// A numeric array as floats, or nil when missing or not all numeric.
    public func floatArray(_ key: String) -> [Float]? {
        guard let elements = values[key]?.array else { return nil }
        var result: [Float] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let number = element.double else { return nil }
            result.append(Float(number))
        }
        return result
    }

    /// An integer array, or nil when missing or not all integers.
    public func intArray(_ key: String) -> [Int]? {
        guard let elements = values[key]?.array else { return nil }
        var result: [Int] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let number = element.int else { return nil }
            result.append(number)
        }
        return result
    }
}

/// Where one tensor's data lies and what shape and type it has.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// ggml order: `dimensions[0]` is the row length (the fastest-varying index).
    public let dimensions: [Int]
    public let type: GGMLType
    /// Offset of the data from the start of the data section, as stored in the file.
    public let rawOffset: UInt64
    public let byteCount: Int
    public let elementCount: Int

    /// Elements in one row (`dimensions[0]`).
    public var rowLength: Int { dimensions[0] }
    /// Number of rows: the product of every dimension but the first.
    public var rowCount: Int { elementCount / dimensions[0] }
}
