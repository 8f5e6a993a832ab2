import Foundation

/// Python arithmetic on template values: int/float promotion, string and list concatenation and
/// repetition, floor division and modulo with Python's signs, `Markup` escaping on `+`.
extension Interpreter {
    func unary(_ op: UnaryOp, _ value: Value) throws -> Value {
        switch (op, value) {
        case (_, .undefined(let undefined)): throw undefined.error
        case (.negate, .int(let i)):
            guard i != Int.min else { throw overflow() }
            return .int(-i)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .double(let d)): return .double(-d)
        case (.plus, .int), (.plus, .double): return value
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        default:
            let symbol = op == .negate ? "-" : "+"
            throw JinjaError.type(message: "bad operand type for unary \(symbol): '\(value.typeName)'")
        }
    }

    func binary(_ op: BinaryOp, _ left: Value, _ right: Value) throws -> Value {
        // `str % x` runs before `x.__rmod__`, so formatting with an undefined argument works.
        if op == .modulo, right.isUndefined, let format = left.stringValue {
            if case .markup = left {
                return try madeString(.markup(try PercentFormat.format(format, right, interpreter: self, escape: true)))
            }
            return try madeString(.string(try PercentFormat.format(format, right, interpreter: self)))
        }
        // `Markup.__mul__`/`__rmul__` run first and demand an integer count.
        if op == .multiply {
            if case .markup = left, right.intValue == nil {
                throw JinjaError.type(message: "'\(right.typeName)' object cannot be interpreted as an integer")
            }
            if case .markup = right, left.intValue == nil, !left.isUndefined {
                throw JinjaError.type(message: "'\(left.typeName)' object cannot be interpreted as an integer")
            }
        }
        if case .undefined(let undefined) = left { throw undefined.error }
        if case .undefined(let undefined) = right { throw undefined.error }
        if let a = left.intValue, let b = right.intValue {
            return try integerArithmetic(op, a, b)
        }
        if left.isInteger && right.isInteger {
            throw overflow() // at least one side is beyond 64 bits
        }
        if let a = left.doubleValue, let b = right.doubleValue {
            return try floatArithmetic(op, a, b)
        }
        switch (op, left, right) {
        case (.add, .markup(let a), _) where right.stringValue != nil:
            try touch(right.stringValue ?? "")
            return try madeString(.markup(a + Markup.escape(right)))
        case (.add, _, .markup(let b)) where left.stringValue != nil:
            try touch(left.stringValue ?? "")
            return try madeString(.markup(Markup.escape(left) + b))
        case (.add, .string(let a), .string(let b)):
            return try madeString(.string(a + b))
        case (.add, .array(let a), .array(let b)):
            try produced(elements: a.count + b.count)
            return .array(a + b)
        case (.add, .tuple(let a), .tuple(let b)):
            try produced(elements: a.count + b.count)
            return .tuple(a + b)
        case (.multiply, _, _):
            if let result = try repeatSequence(left, right) ?? repeatSequence(right, left) { return result }
            for (sequence, other) in [(left, right), (right, left)] {
                switch sequence {
                case .string, .markup, .array, .tuple:
                    throw JinjaError.type(message: "can't multiply sequence by non-int of type '\(other.typeName)'")
                default: break
                }
            }
        case (.modulo, .string(let format), _):
            return try madeString(.string(try PercentFormat.format(format, right, interpreter: self)))
        case (.modulo, .markup(let format), _):
            return try madeString(.markup(try PercentFormat.format(format, right, interpreter: self, escape: true)))
        default:
            break
        }
        if op == .add, case .string = left {
            throw JinjaError.type(message: "can only concatenate str (not \"\(right.typeName)\") to str")
        }
        if op == .add, case .array = left {
            throw JinjaError.type(message: "can only concatenate list (not \"\(right.typeName)\") to list")
        }
        if op == .add, case .tuple = left {
            throw JinjaError.type(message: "can only concatenate tuple (not \"\(right.typeName)\") to tuple")
        }
        let symbol = op == .power ? "** or pow()" : op.rawValue
        throw JinjaError.type(
            message: "unsupported operand type(s) for \(symbol): '\(left.typeName)' and '\(right.typeName)'")
    }

    /// Checks the size of a freshly built string value.
    func madeString(_ value: Value) throws -> Value {
        try produced(bytes: value.stringValue?.utf8.count ?? 0)
        return value
    }

    /// `"ab" * 3`, `[1] * 3` (a non-positive count gives an empty result).
    func repeatSequence(_ sequence: Value, _ count: Value) throws -> Value? {
        guard let n = count.intValue else { return nil }
        let times = max(0, n)
        switch sequence {
        case .string(let s), .markup(let s):
            try produced(
                bytes: s.utf8.count.multipliedReportingOverflow(by: times).overflow
                    ? Int.max : s.utf8.count * times)
            let text = String(repeating: s, count: times)
            if case .markup = sequence { return .markup(text) }
            return .string(text)
        case .array(let items), .tuple(let items):
            try produced(
                elements: items.count.multipliedReportingOverflow(by: times).overflow
                    ? Int.max : items.count * times)
            let repeated = Array([[Value]](repeating: items, count: times).joined())
            if case .tuple = sequence { return .tuple(repeated) }
            return .array(repeated)
        default:
            return nil
        }
    }

    func integerArithmetic(_ op: BinaryOp, _ a: Int, _ b: Int) throws -> Value {
        switch op {
        case .add: return try checked(a.addingReportingOverflow(b))
        case .subtract: return try checked(a.subtractingReportingOverflow(b))
        case .multiply: return try checked(a.multipliedReportingOverflow(by: b))
        case .divide:
            guard b != 0 else { throw zeroDivision("division by zero") }
            return .double(Double(a) / Double(b))
        case .floorDivide:
            guard b != 0 else { throw zeroDivision("integer division or modulo by zero") }
            if a == Int.min && b == -1 { throw overflow() }
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            return .int((r != 0 && (r < 0) != (b < 0)) ? q - 1 : q)
        case .modulo:
            guard b != 0 else { throw zeroDivision("integer modulo by zero") }
            if b == -1 { return .int(0) }
            let r = a % b
            return .int((r != 0 && (r < 0) != (b < 0)) ? r + b : r)
        case .power:
            if b < 0 { return .double(pow(Double(a), Double(b))) }
            var result = 1
            var base = a
            var exponent = b
            while exponent > 0 {
                if exponent & 1 == 1 { result = try checkedInt(result.multipliedReportingOverflow(by: base)) }
                exponent >>= 1
                if exponent > 0 { base = try checkedInt(base.multipliedReportingOverflow(by: base)) }
            }
            return .int(result)
        }
    }

    func floatArithmetic(_ op: BinaryOp, _ a: Double, _ b: Double) throws -> Value {
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            guard b != 0 else { throw zeroDivision("float division by zero") }
            return .double(a / b)
        case .floorDivide:
            guard b != 0 else { throw zeroDivision("float floor division by zero") }
            return .double((a / b).rounded(.down))
        case .modulo:
            guard b != 0 else { throw zeroDivision("float modulo") }
            let r = fmod(a, b)
            return .double((r != 0 && (r < 0) != (b < 0)) ? r + b : r)
        case .power:
            if a == 0 && b < 0 {
                throw zeroDivision("0.0 cannot be raised to a negative power")
            }
            let result = pow(a, b)
            if result.isInfinite && a.isFinite && b.isFinite {
                throw JinjaError.evaluation(
                    exception: "OverflowError", message: "(34, 'Numerical result out of range')")
            }
            return .double(result)
        }
    }

    private func checked(_ result: (partialValue: Int, overflow: Bool)) throws -> Value {
        .int(try checkedInt(result))
    }

    private func checkedInt(_ result: (partialValue: Int, overflow: Bool)) throws -> Int {
        if result.overflow { throw overflow() }
        return result.partialValue
    }

    /// Python integers are unbounded; this implementation stops at 64 bits.
    func overflow() -> JinjaError {
        .evaluation(exception: "OverflowError", message: "integer result does not fit in 64 bits")
    }

    func zeroDivision(_ message: String) -> JinjaError {
        .evaluation(exception: "ZeroDivisionError", message: message)
    }
}
