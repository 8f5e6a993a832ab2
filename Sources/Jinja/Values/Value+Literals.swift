/// Literal syntax for building template contexts in Swift: `["role": "user", "content": "Hi"]`.
///
/// There is deliberately no `nil` literal: `Value?` is used throughout, and `nil` must keep
/// meaning "absent" there. Write `.none` for Python's `None`.
extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    public init(integerLiteral value: Int) {
        self = .int(value)
    }

    public init(floatLiteral value: Double) {
        self = .double(value)
    }

    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    public init(arrayLiteral elements: Value...) {
        self = .array(elements)
    }

    /// Keys keep the order they are written in.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(OrderedObject(elements))
    }
}
