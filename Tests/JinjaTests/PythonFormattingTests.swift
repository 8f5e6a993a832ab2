import Jinja
import Testing

/// Printing values like Python's `str()`/`repr()` (expected strings produced by CPython 3.11).
@Suite("Python value formatting")
struct PythonFormattingTests {
    static let floats: [(Double, String)] = [
        (0.0, "0.0"), (-0.0, "-0.0"), (1.0, "1.0"), (0.1, "0.1"), (0.1 + 0.2, "0.30000000000000004"),
        (1.0 / 3, "0.3333333333333333"), (2.0 / 3, "0.6666666666666666"), (1e-5, "1e-05"), (1e-4, "0.0001"),
        (1.5e-7, "1.5e-07"), (123456789.123456789, "123456789.12345679"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
        (12345678901234567.0, "1.2345678901234568e+16"), (100.0, "100.0"), (-2.5, "-2.5"), (.infinity, "inf"),
        (1e22, "1e+22"), (9007199254740993.0, "9007199254740992.0"), (0.000123, "0.000123")
    ]

    @Test("floats print with Python's shortest repr")
    func floats() throws {
        for (value, expected) in Self.floats {
            #expect(try Template("{{ v }}").render(["v": .double(value)]) == expected)
        }
        #expect(try Template("{{ v }}").render(["v": .double(.nan)]) == "nan")
    }

    @Test("containers print like Python, including quote choice and escapes")
    func containers() throws {
        let items: Value = .array([
            .string("a'b"), .string("a\"b"), .string("a'b\""), .string("\u{7F}"),
            .string("\u{85}"), .string("\u{200D}"), .string("😀"), .none, .bool(true)
        ])
        #expect(
            try Template("{{ v }}").render(["v": items])
                == #"["a'b", 'a"b', 'a\'b"', '\x7f', '\x85', '\u200d', '😀', None, True]"#)
        let object = Value.object(OrderedObject([("k", .array([])), ("t", .tuple([.int(1)]))]))
        #expect(
            try Template("{{ v }}|{{ v|string }}|{{ v ~ '' }}").render(["v": object])
                == "{'k': [], 't': (1,)}|{'k': [], 't': (1,)}|{'k': [], 't': (1,)}")
    }

    @Test("undefined values print as nothing and none as None")
    func specials() throws {
        #expect(try Template("[{{ nothing }}][{{ none }}][{{ [nothing] }}]").render([:]) == "[][None][[Undefined]]")
    }
}
