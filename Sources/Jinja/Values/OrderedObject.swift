/// A dictionary that remembers insertion order, like a Python `dict`.
///
/// JSON objects only have string keys, but templates may build dicts keyed by numbers
/// (`{1024: 'low', 4096: 'high'}`), so keys are values compared like Python dict keys:
/// `1`, `1.0` and `True` are the same key, strings compare by code point.
public struct OrderedObject: Sendable, Equatable {
    /// Keys in insertion order (strings for JSON objects).
    public private(set) var keys: [Value] = []
    /// Values in the same order as `keys`.
    public private(set) var values: [Value] = []
    private var positions: [DictKey: Int] = [:]

    public init() {}

    /// Builds an object from pairs; a repeated key keeps its first position and its last value.
    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs {
            self[key] = value
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Key/value pairs in insertion order.
    public var pairs: [(key: Value, value: Value)] {
        Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }

    /// The value for a string key; assigning `nil` removes the key.
    public subscript(key: String) -> Value? {
        get { positions[.string(HashableText(key))].map { values[$0] } }
        set { self[.string(key)] = newValue }
    }

    /// The value for any hashable key (lookups with unhashable keys find nothing).
    public subscript(key: Value) -> Value? {
        get {
            guard let hashKey = DictKey(key) else { return nil }
            return positions[hashKey].map { values[$0] }
        }
        set {
            guard let hashKey = DictKey(key) else { return }
            if let newValue {
                if let position = positions[hashKey] {
                    values[position] = newValue
                } else {
                    positions[hashKey] = keys.count
                    keys.append(key)
                    values.append(newValue)
                }
            } else if let position = positions.removeValue(forKey: hashKey) {
                keys.remove(at: position)
                values.remove(at: position)
                for (k, p) in positions where p > position { positions[k] = p - 1 }
            }
        }
    }

    public static func == (lhs: OrderedObject, rhs: OrderedObject) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }
}

/// A Python-hashable key: numbers that compare equal hash equal, strings compare by code point.
enum DictKey: Hashable, Sendable {
    case none
    case int(Int)
    case bigInt(String)
    case double(UInt64)
    case string(HashableText)
    case tuple([DictKey])
    /// Python objects hash by identity (namespaces, macros, generators, functions).
    case identity(String)

    /// The key for `value`, or nil if Python could not hash it (lists, dicts, ...) or it is an
    /// absurdly large tuple (which would make hashing a denial of service).
    init?(_ value: Value) {
        var budget = 100_000
        self.init(value, budget: &budget)
    }

    private init?(_ value: Value, budget: inout Int) {
        budget -= 1
        if budget < 0 { return nil }
        switch value {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .bigInt(let digits): self = .bigInt(digits)
        case .double(let d):
            if let i = Int(exactly: d) { self = .int(i) } else { self = .double(d.bitPattern) }
        case .string(let s), .markup(let s): self = .string(HashableText(s))
        case .tuple(let items):
            var keys: [DictKey] = []
            for item in items {
                guard let key = DictKey(item, budget: &budget) else { return nil }
                keys.append(key)
            }
            self = .tuple(keys)
        case .native(let object):
            switch object.kind {
            case .function(let f): self = .identity("function:\(f.rawValue)")
            case .namespace(let id): self = .identity("namespace:\(id)")
            case .loop(let id): self = .identity("loop:\(id)")
            case .iterator(let id, _): self = .identity("iterator:\(id)")
            case .macro(let id): self = .identity("macro:\(id)")
            case .method, .view: return nil
            }
        case .undefined, .array, .object:
            return nil
        }
    }
}

/// A string that hashes and compares by its code points (Python `str`), not by Swift's
/// canonical equivalence.
struct HashableText: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: HashableText, rhs: HashableText) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
