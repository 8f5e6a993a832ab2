/// The key/value metadata of a GGUF file, in file order, with typed look-ups.
public struct GGUFMetadata: Sendable, Equatable {
    /// Keys in the order the file lists them.
    public private(set) var keys: [String] = []
    private var values: [String: GGUFValue] = [:]

    /// An empty table.
    public init() {}

    /// Makes room for `count` pairs, so filling a large table does not rehash it again and again.
    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    /// Adds a pair; returns false (and changes nothing) when the key is already present.
    @discardableResult
    public mutating func insert(_ key: String, _ value: GGUFValue) -> Bool {
        guard values[key] == nil else { return false }
        keys.append(key)
        values[key] = value
        return true
    }

    /// The value stored under `key`, with its declared type.
    public subscript(key: String) -> GGUFValue? { values[key] }

    /// The number of pairs.
    public var count: Int { keys.count }

    /// The string under `key`, or nil when missing or not a string.
    public func string(_ key: String) -> String? { values[key]?.string }
    /// The integer under `key` (any width that fits an `Int`), or nil.
    public func int(_ key: String) -> Int? { values[key]?.int }
    /// The number under `key` (integer or float) as a double, or nil.
    public func double(_ key: String) -> Double? { values[key]?.double }
    /// The number under `key` as a float, or nil.
    public func float(_ key: String) -> Float? { values[key]?.double.map(Float.init) }
    /// The bool under `key`, or nil when missing or not a bool.
    public func bool(_ key: String) -> Bool? { values[key]?.bool }

    /// A string array, or nil when the key is missing or not an array of strings.
    public func stringArray(_ key: String) -> [String]? { values[key]?.array?.strings() }

    /// A numeric array as floats, or nil when missing or not all numeric.
    public func floatArray(_ key: String) -> [Float]? { values[key]?.array?.floats() }

    /// An integer array, or nil when missing or not all integers.
    public func intArray(_ key: String) -> [Int]? { values[key]?.array?.ints() }
}
