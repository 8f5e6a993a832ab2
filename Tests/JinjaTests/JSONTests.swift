import Foundation
import Jinja
import Testing

@Suite("JSON parsing and tojson")
struct JSONTests {
    func render(_ source: String, _ context: [String: Value] = [:]) throws -> String {
        try Template(source).render(context)
    }

    @Test("object keys keep their order and duplicate keys keep the first position")
    func keyOrder() throws {
        let value = try Value(json: #"{"z": 1, "a": 2, "m": {"y": 1, "b": 2}, "z": 3}"#)
        guard case .object(let object) = value else { throw JinjaError.type(message: "not an object") }
        #expect(object.keys == [.string("z"), .string("a"), .string("m")])
        #expect(object["z"] == .int(3))
        #expect(try render("{{ v|tojson }}", ["v": value]) == #"{"z": 3, "a": 2, "m": {"y": 1, "b": 2}}"#)
    }

    @Test("numbers: exact integers, big integers kept verbatim, floats, non-standard literals")
    func numbers() throws {
        #expect(try Value(json: "-0") == .int(0))
        #expect(try Value(json: "9223372036854775807") == .int(Int.max))
        #expect(try Value(json: "123456789012345678901234567890") == .bigInt("123456789012345678901234567890"))
        #expect(try Value(json: "-123456789012345678901234567890") == .bigInt("-123456789012345678901234567890"))
        #expect(try Value(json: "1.0") == .double(1.0))
        #expect(try Value(json: "2.5E-3") == .double(0.0025))
        #expect(try Value(json: "1e400") == .double(.infinity))
        #expect(try Value(json: "-Infinity") == .double(-.infinity))
        guard case .double(let nan) = try Value(json: "NaN") else { throw JinjaError.type(message: "NaN") }
        #expect(nan.isNaN)
        let big = try Value(json: "[123456789012345678901234567890, 1.5]")
        #expect(
            try render("{{ v }} {{ v|tojson }}", ["v": big])
                == "[123456789012345678901234567890, 1.5] [123456789012345678901234567890, 1.5]")
    }

    @Test("string escapes, \\u escapes and surrogate pairs decode like json.loads")
    func strings() throws {
        #expect(try Value(json: #""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try Value(json: #""\u00e9\u4f60\ud83d\ude00""#) == .string("é你😀"))
        #expect(try Value(json: #""\ud83d x""#) == .string("\u{FFFD} x"))
        #expect(try Value(json: "\"naïve 👩‍💻\"") == .string("naïve 👩‍💻"))
        #expect(
            try Value(jsonData: Data([0xEF, 0xBB, 0xBF] + Array(#"{"k": true}"#.utf8)))
                == .object(OrderedObject([("k", .bool(true))])))
    }

    @Test(
        "invalid JSON is rejected",
        arguments: [
            "", "{", "[1,]", "{\"a\" 1}", "{'a': 1}", "01", "1 2", "\"unterminated", "\"tab\there\"", "[1e]", "tru",
            "\"\\x41\"", "\"\\u12\"", String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        ])
    func invalid(_ text: String) {
        #expect(throws: JinjaError.self) { try Value(json: text) }
    }

    @Test("tojson matches json.dumps (values verified with Python)")
    func dumps() throws {
        let value = try Value(json: #"{"a": [1, 2.5, null, true, "é\"\\\n\u2028😀"], "b": {}}"#)
        #expect(
            try render("{{ v|tojson(ensure_ascii=true) }}", ["v": value])
                == #"{"a": [1, 2.5, null, true, "\u00e9\"\\\n\u2028\ud83d\ude00"], "b": {}}"#)
        #expect(
            try render("{{ v|tojson }}", ["v": value])
                == "{\"a\": [1, 2.5, null, true, \"é\\\"\\\\\\n\u{2028}😀\"], \"b\": {}}")
        let nested = try Value(json: #"{"a": [1, {"x": []}]}"#)
        #expect(
            try render("{{ v|tojson(indent=2) }}", ["v": nested])
                == "{\n  \"a\": [\n    1,\n    {\n      \"x\": []\n    }\n  ]\n}")
        #expect(
            try render(
                "{{ v|tojson(separators=(',', ':'), sort_keys=true) }}",
                ["v": try Value(json: #"{"b": 1, "a": [1, 2]}"#)]) == #"{"a":[1,2],"b":1}"#)
    }
}
