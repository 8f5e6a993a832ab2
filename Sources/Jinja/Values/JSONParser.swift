import Foundation

extension Value {
    /// Parses JSON text like Python's `json.loads`: object key order is kept, integers stay exact
    /// (beyond 64 bits as `bigInt`), `\u` escapes and surrogate pairs are decoded, and the
    /// non-standard `NaN`, `Infinity` and `-Infinity` literals are accepted.
    public init(json: String) throws(JinjaError) {
        self = try JSONParser.parse(Array(json.utf8))
    }

    /// Parses UTF-8 JSON bytes (see `init(json:)`).
    public init(jsonData: Data) throws(JinjaError) {
        self = try JSONParser.parse([UInt8](jsonData))
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes with a nesting limit.
struct JSONParser {
    /// Nesting limit, matching `Limits.maxValueDepth` so parsed data can always be printed.
    static let maxDepth = 200

    let bytes: [UInt8]
    var index = 0

    static func parse(_ bytes: [UInt8]) throws(JinjaError) -> Value {
        var parser = JSONParser(bytes: bytes)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        parser.index = start
        parser.skipSpace()
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("Extra data") }
        return value
    }

    func error(_ message: String) -> JinjaError {
        .evaluation(exception: "JSONDecodeError", message: "\(message): char \(index)")
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func consume(_ literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else {
            return false
        }
        index += utf8.count
        return true
    }

    mutating func parseValue(depth: Int) throws(JinjaError) -> Value {
        guard depth < JSONParser.maxDepth else { throw error("JSON nested too deeply") }
        guard index < bytes.count else { throw error("Expecting value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t") where consume("true"): return .bool(true)
        case UInt8(ascii: "f") where consume("false"): return .bool(false)
        case UInt8(ascii: "n") where consume("null"): return .none
        case UInt8(ascii: "N") where consume("NaN"): return .double(.nan)
        case UInt8(ascii: "I") where consume("Infinity"): return .double(.infinity)
        case UInt8(ascii: "-") where consume("-Infinity"): return .double(-.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("Expecting value")
        }
    }

    mutating func parseObject(depth: Int) throws(JinjaError) -> Value {
        index += 1
        var object = OrderedObject()
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("Expecting property name enclosed in double quotes")
            }
            let key = try parseString()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("Expecting ':' delimiter") }
            index += 1
            skipSpace()
            object[key] = try parseValue(depth: depth + 1)
            skipSpace()
            guard index < bytes.count else { throw error("Expecting ',' delimiter") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("Expecting ',' delimiter") }
            index += 1
            return .object(object)
        }
    }

    mutating func parseArray(depth: Int) throws(JinjaError) -> Value {
        index += 1
        var items: [Value] = []
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try parseValue(depth: depth + 1))
            skipSpace()
            guard index < bytes.count else { throw error("Expecting ',' delimiter") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw error("Expecting ',' delimiter") }
            index += 1
            return .array(items)
        }
    }

    mutating func parseNumber() throws(JinjaError) -> Value {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - from
        }
        let integerDigits = digits()
        guard integerDigits > 0 else { throw error("Expecting value") }
        if integerDigits > 1 && bytes[index - integerDigits] == UInt8(ascii: "0") {
            // JSON forbids leading zeros: read just the `0`, the rest becomes a syntax error.
            index = start + (bytes[start] == UInt8(ascii: "-") ? 2 : 1)
            return .int(0)
        }
        var isFloat = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count,
            bytes[index + 1] >= UInt8(ascii: "0"), bytes[index + 1] <= UInt8(ascii: "9")
        {
            index += 1
            _ = digits()
            isFloat = true
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            let mark = index
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            if digits() == 0 { index = mark } else { isFloat = true }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isFloat { return .double(Double(text) ?? .nan) }
        if let value = Int(text) { return .int(value) }
        return .bigInt(text)
    }

    mutating func parseString() throws(JinjaError) -> String {
        index += 1
        var out = String.UnicodeScalarView()
        var runStart = index
        func flushRun() {
            if runStart < index {
                out.append(contentsOf: String(decoding: bytes[runStart..<index], as: UTF8.self).unicodeScalars)
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flushRun()
                index += 1
                return String(out)
            }
            if byte < 0x20 { throw error("Invalid control character at") }
            if byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            flushRun()
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "/"): out.append("/")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code), bytes.count - index >= 6,
                    bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                {
                    let mark = index
                    index += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = mark
                    }
                }
                out.append(StringLiteral.scalar(code))
            default:
                throw error("Invalid \\escape")
            }
            runStart = index
        }
        throw error("Unterminated string starting at")
    }

    mutating func hex4() throws(JinjaError) -> UInt32 {
        guard bytes.count - index >= 4,
            let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16),
            bytes[index..<(index + 4)].allSatisfy({ Unicode.Scalar($0).properties.isASCIIHexDigit })
        else { throw error("Invalid \\uXXXX escape") }
        index += 4
        return code
    }
}
