/// Python comparisons: `==` across int/float/bool, code-point string order, sequence order, `in`.
extension Interpreter {
    func compare(_ op: CompareOp, _ left: Value, _ right: Value) throws -> Bool {
        switch op {
        case .eq: return try pyEquals(left, right)
        case .ne: return !(try pyEquals(left, right))
        case .isIn: return try contains(right, left)
        case .notIn: return !(try contains(right, left))
        case .lt, .le, .gt, .ge: return try pyOrder(op, left, right)
        }
    }

    /// Python `a == b` (undefined equals only undefined; `1 == 1.0 == True`).
    func pyEquals(_ a: Value, _ b: Value, depth: Int = 0) throws -> Bool {
        if depth > 0 { try addWork(Limits.Cost.visit) }
        if depth > limits.maxValueDepth {
            throw JinjaError.limit(message: "values nested deeper than \(limits.maxValueDepth) levels")
        }
        switch (a, b) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.undefined, _), (_, .undefined), (.none, _), (_, .none): return false
        case (.bigInt(let x), .bigInt(let y)): return x == y
        case (.bigInt, _), (_, .bigInt):
            if a.isInteger && b.isInteger { return false }
        default: break
        }
        if let x = a.intValue, let y = b.intValue { return x == y }
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        if let x = a.stringValue, let y = b.stringValue {
            try addWork(min(x.utf8.count, y.utf8.count))
            return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        }
        switch (a, b) {
        case (.array(let x), .array(let y)), (.tuple(let x), .tuple(let y)):
            guard x.count == y.count else { return false }
            // Python compares list items by identity first, so shared sub-lists are equal at once.
            if let p = Interpreter.storageIdentity(x), p == Interpreter.storageIdentity(y) { return true }
            for (p, q) in zip(x, y) where !(try pyEquals(p, q, depth: depth + 1)) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            if let p = Interpreter.storageIdentity(x.values), p == Interpreter.storageIdentity(y.values) { return true }
            for (key, value) in x.pairs {
                guard let other = y[key], try pyEquals(value, other, depth: depth + 1) else { return false }
            }
            return true
        case (.native(let x), .native(let y)):
            return x == y
        default:
            return false
        }
    }

    /// Python `a < b` (used for sorting, `min`, `max`).
    func pyLess(_ a: Value, _ b: Value, symbol: String = "<") throws -> Bool {
        try pyOrder(.lt, a, b)
    }

    /// Python `a < b`, `a <= b`, `a > b`, `a >= b`: the left operand's undefined error wins, sequences
    /// compare element-wise with the same operator, unorderable pairs raise `TypeError`.
    func pyOrder(_ op: CompareOp, _ a: Value, _ b: Value, depth: Int = 0) throws -> Bool {
        if case .undefined(let undefined) = a { throw undefined.error }
        if case .undefined(let undefined) = b { throw undefined.error }
        if depth > limits.maxValueDepth {
            throw JinjaError.limit(message: "values nested deeper than \(limits.maxValueDepth) levels")
        }
        if depth > 0 { try addWork(Limits.Cost.visit) }
        func apply<T: Comparable>(_ x: T, _ y: T) -> Bool {
            switch op {
            case .lt: return x < y
            case .le: return x <= y
            case .gt: return x > y
            default: return x >= y
            }
        }
        if let x = a.intValue, let y = b.intValue { return apply(x, y) }
        if a.isInteger && b.isInteger { return apply(Interpreter.integerDigits(a), Interpreter.integerDigits(b)) }
        if let x = a.doubleValue, let y = b.doubleValue { return apply(x, y) }
        if let x = a.stringValue, let y = b.stringValue {
            // Scalar by scalar up to the first difference (not whole copies of both strings:
            // sorting long strings would then cost their full length on every comparison).
            var xs = x.unicodeScalars.makeIterator()
            var ys = y.unicodeScalars.makeIterator()
            var compared = 0
            var order: (UInt32, UInt32) = (0, 0)
            while true {
                compared += 1
                let (p, q) = (xs.next(), ys.next())
                if p == nil || q == nil || p != q {
                    order = (p.map { $0.value + 1 } ?? 0, q.map { $0.value + 1 } ?? 0)
                    break
                }
            }
            try addWork(compared)
            return apply(order.0, order.1)
        }
        switch (a, b) {
        case (.array(let x), .array(let y)), (.tuple(let x), .tuple(let y)):
            for (p, q) in zip(x, y) where !(try pyEquals(p, q, depth: depth + 1)) {
                return try pyOrder(op, p, q, depth: depth + 1)
            }
            return apply(x.count, y.count)
        default:
            throw JinjaError.type(
                message: "'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    /// An exactly comparable form of a Python integer: (sign, digit count, digits).
    struct IntegerDigits: Comparable {
        let negative: Bool
        let digits: String

        static func < (a: IntegerDigits, b: IntegerDigits) -> Bool {
            if a.negative != b.negative { return a.negative }
            let magnitudeLess =
                a.digits.count != b.digits.count
                ? a.digits.count < b.digits.count : a.digits < b.digits
            let magnitudeEqual = a.digits == b.digits
            return a.negative ? (!magnitudeLess && !magnitudeEqual) : magnitudeLess
        }
    }

    static func integerDigits(_ value: Value) -> IntegerDigits {
        var text: String
        switch value {
        case .bigInt(let digits): text = digits
        default: text = String(value.intValue ?? 0)
        }
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        return IntegerDigits(negative: negative, digits: text)
    }

    /// Python `item in container`.
    func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let haystack), .markup(let haystack):
            guard let needle = item.stringValue else {
                throw JinjaError.type(
                    message: "'in <string>' requires string as left operand, not \(item.typeName)")
            }
            try touch(haystack)
            try touch(needle)
            return try SubstringSearch(Array(needle.unicodeScalars))
                .first(in: Array(haystack.unicodeScalars), poll: poll) != nil
        case .object(let object):
            if case .undefined = item { return false }
            if let key = item.stringValue { try touch(key) }
            guard DictKey(item) != nil else { throw JinjaError.type(message: "unhashable type: '\(item.typeName)'") }
            return object[item] != nil
        case .undefined:
            return false
        case .array, .tuple:
            break
        case .native(let object):
            if case .iterator = object.kind { break }
            if case .view = object.kind { break }
            throw JinjaError.type(message: "argument of type '\(container.typeName)' is not iterable")
        default:
            throw JinjaError.type(message: "argument of type '\(container.typeName)' is not iterable")
        }
        for element in try iterate(container) where try pyEquals(element, item) { return true }
        return false
    }
}
