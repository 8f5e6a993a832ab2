/// Finds where a JSON text stops being valid, as a line and column a person can open.
///
/// Foundation's decoders say only that data is invalid; a corrupt transcript deserves the
/// position, so this small recursive-descent checker walks the bytes and reports the first fault.
struct JSONErrorLocator {
    struct Location: Equatable, CustomStringConvertible {
        var line: Int
        var column: Int
        var message: String
        var description: String { "line \(line), column \(column): \(message)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    /// nil when `bytes` is syntactically valid JSON.
    static func locate(in bytes: [UInt8]) -> Location? {
        var checker = JSONErrorLocator(bytes: bytes)
        return checker.check()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func check() -> Location? {
        do {
            skipSpace()
            try value()
            skipSpace()
            if index < bytes.count { throw Fault("unexpected text after the end of the document") }
            return nil
        } catch let fault as Fault {
            return location(fault.message)
        } catch {
            return location("invalid JSON")
        }
    }

    private struct Fault: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private func location(_ message: String) -> Location {
        var line = 1
        var column = 1
        for byte in bytes[..<min(index, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Location(line: line, column: column, message: message)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw Fault("expected '\(literal)'") }
            index += 1
        }
    }

    private mutating func value() throws {
        guard index < bytes.count else { throw Fault("unexpected end of file") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try container(close: UInt8(ascii: "}"), keyed: true)
        case UInt8(ascii: "["): try container(close: UInt8(ascii: "]"), keyed: false)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try expect("true")
        case UInt8(ascii: "f"): try expect("false")
        case UInt8(ascii: "n"): try expect("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw Fault("unexpected character")
        }
    }

    private mutating func container(close: UInt8, keyed: Bool) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth < 512 else { throw Fault("nesting deeper than 512 levels") }
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == close {
            index += 1
            return
        }
        while true {
            skipSpace()
            if keyed {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw Fault("expected a quoted key")
                }
                try string()
                skipSpace()
                try expect(":")
                skipSpace()
            }
            try value()
            skipSpace()
            guard index < bytes.count else { throw Fault("unexpected end of file") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == close {
                index += 1
                return
            }
            throw Fault(keyed ? "expected ',' or '}'" : "expected ',' or ']'")
        }
    }

    private mutating func string() throws {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if byte < 0x20 { throw Fault("control character in string") }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                if bytes[index] == UInt8(ascii: "u") {
                    for _ in 0..<4 {
                        index += 1
                        guard index < bytes.count, Self.isHex(bytes[index]) else { throw Fault("invalid \\u escape") }
                    }
                } else if !Array("\"\\/bfnrt".utf8).contains(bytes[index]) {
                    throw Fault("invalid escape")
                }
            }
            index += 1
        }
        throw Fault("unterminated string")
    }

    private mutating func number() throws {
        let start = index
        let allowed = Array("+-.eE0123456789".utf8)
        while index < bytes.count, allowed.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard Double(text) != nil, text.first != "+" else {
            index = start
            throw Fault("invalid number")
        }
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}
