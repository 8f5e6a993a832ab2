/// A metadata array: its element type and length, with the elements decoded only when read.
///
/// The parser checks every array's bytes (each string's length, each bool, each nested array)
/// but keeps only where the elements lie in the file, so a 40 MB array costs a few dozen bytes
/// until someone reads it, instead of a `GGUFValue` (and for strings a `String`) per element.
/// Reading decodes from the mapped bytes on demand; typed accessors (`strings()`, `floats()`,
/// `ints()`) build exactly the array asked for. Arrays built in memory (writers, tests) hold
/// their elements directly. A class, so that `GGUFValue` stays as small as a `String`.
public final class GGUFArray: Sendable, Sequence, Equatable {
    /// The element type the file declared (it matters for empty arrays).
    public let elementType: GGUFValueType
    /// The number of elements.
    public let count: Int
    private let storage: Storage

    private enum Storage: Sendable {
        case decoded([GGUFValue])
        /// The elements' bytes (after the type and length fields), already validated by the parser.
        case mapped(MappedFile, Range<Int>)
    }

    /// An array held in memory.
    public init(elementType: GGUFValueType, elements: [GGUFValue]) {
        self.elementType = elementType
        count = elements.count
        storage = .decoded(elements)
    }

    /// A view of `count` elements that the parser has validated in `file.bytes[bytes]`.
    init(elementType: GGUFValueType, count: Int, file: MappedFile, bytes: Range<Int>) {
        self.elementType = elementType
        self.count = count
        storage = .mapped(file, bytes)
    }

    public var isEmpty: Bool { count == 0 }

    /// The bytes the elements take in the file (0 for an array held in memory).
    public var encodedByteCount: Int {
        if case .mapped(_, let range) = storage { return range.count }
        return 0
    }

    /// Decodes the elements one at a time, in order.
    public struct Iterator: IteratorProtocol {
        private var decoded: IndexingIterator<[GGUFValue]>?
        private var parser: GGUFParser?
        private let elementType: GGUFValueType
        private var remaining: Int

        fileprivate init(_ array: GGUFArray) {
            elementType = array.elementType
            remaining = array.count
            switch array.storage {
            case .decoded(let elements):
                decoded = elements.makeIterator()
            case .mapped(let file, let range):
                parser = GGUFParser(file: file, offset: range.lowerBound)
            }
        }

        public mutating func next() -> GGUFValue? {
            if decoded != nil { return decoded?.next() }
            guard remaining > 0, var current = parser else { return nil }
            remaining -= 1
            // The parser validated these bytes when the file was opened; should a read fail
            // anyway, the sequence ends rather than trapping.
            let value = try? current.readElement(of: elementType)
            parser = value == nil ? nil : current
            return value
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }

    public var underestimatedCount: Int { count }

    /// The elements as strings, or nil unless the array holds strings.
    public func strings() -> [String]? {
        guard elementType == .string else { return nil }
        var result: [String] = []
        result.reserveCapacity(count)
        for element in self {
            guard case .string(let text) = element else { return nil }
            result.append(text)
        }
        return result.count == count ? result : nil
    }

    /// The elements as floats, or nil unless every element is a number.
    public func floats() -> [Float]? {
        var result: [Float] = []
        result.reserveCapacity(count)
        for element in self {
            guard let number = element.double else { return nil }
            result.append(Float(number))
        }
        return result.count == count ? result : nil
    }

    /// The elements as integers, or nil unless every element is an integer that fits an `Int`.
    public func ints() -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(count)
        for element in self {
            guard let number = element.int else { return nil }
            result.append(number)
        }
        return result.count == count ? result : nil
    }

    /// Same element type and equal elements, wherever each array keeps them.
    public static func == (lhs: GGUFArray, rhs: GGUFArray) -> Bool {
        lhs === rhs || (lhs.elementType == rhs.elementType && lhs.count == rhs.count && lhs.elementsEqual(rhs))
    }
}
