/// Python `str` methods templates call, as one table: each method's name is written once, next to
/// what runs it (`Interpreter+StringMethods.swift`).
enum StringMethods {
    static let table: [String: StringMethod] = [
        "capitalize": .method(Interpreter.strCapitalizeMethod),
        "casefold": .method(Interpreter.strCasefoldMethod),
        "center": .method(Interpreter.strPadMethod),
        "count": .method(Interpreter.strSearchMethod),
        "encode": .unsupported,
        "endswith": .method(Interpreter.strAffixTestMethod),
        "expandtabs": .unsupported,
        "find": .method(Interpreter.strSearchMethod),
        "format": .method(Interpreter.strFormatMethod),
        "format_map": .method(Interpreter.strFormatMethod),
        "index": .method(Interpreter.strSearchMethod),
        "isalnum": .predicate { s in
            !s.isEmpty && s.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        },
        "isalpha": .predicate { s in !s.isEmpty && s.allSatisfy { $0.properties.isAlphabetic } },
        "isascii": .predicate { s in s.allSatisfy { $0.isASCII } },
        "isdecimal": .predicate { s in !s.isEmpty && s.allSatisfy { $0.properties.numericType == .decimal } },
        "isdigit": .predicate { s in
            !s.isEmpty && s.allSatisfy { [.decimal, .digit].contains($0.properties.numericType) }
        },
        "isidentifier": .predicate { s in
            guard let first = s.first, PyChar.isNameStart(first) else { return false }
            return s.dropFirst().allSatisfy(PyChar.isNameContinue)
        },
        "islower": .predicate { s in StringMethod.allCased(s) { $0.properties.isLowercase } },
        "isnumeric": .predicate { s in !s.isEmpty && s.allSatisfy { $0.properties.numericType != nil } },
        "isprintable": .predicate { s in s.allSatisfy(PythonRepr.isPrintable) },
        "isspace": .predicate { s in !s.isEmpty && s.allSatisfy(PyChar.isSpace) },
        "istitle": .predicate(StringMethod.isTitle),
        "isupper": .predicate { s in StringMethod.allCased(s) { $0.properties.isUppercase } },
        "join": .method(Interpreter.strJoinMethod),
        "ljust": .method(Interpreter.strPadMethod),
        "lower": .method(Interpreter.strLowerMethod),
        "lstrip": .method(Interpreter.strStripMethod),
        "maketrans": .unsupported,
        "partition": .method(Interpreter.strPartitionMethod),
        "removeprefix": .method(Interpreter.strRemoveAffixMethod),
        "removesuffix": .method(Interpreter.strRemoveAffixMethod),
        "replace": .method(Interpreter.strReplaceMethod),
        "rfind": .method(Interpreter.strSearchMethod),
        "rindex": .method(Interpreter.strSearchMethod),
        "rjust": .method(Interpreter.strPadMethod),
        "rpartition": .method(Interpreter.strPartitionMethod),
        "rsplit": .method(Interpreter.strSplitMethod),
        "rstrip": .method(Interpreter.strStripMethod),
        "split": .method(Interpreter.strSplitMethod),
        "splitlines": .method(Interpreter.strSplitlinesMethod),
        "startswith": .method(Interpreter.strAffixTestMethod),
        "strip": .method(Interpreter.strStripMethod),
        "swapcase": .method(Interpreter.strSwapcaseMethod),
        "title": .method(Interpreter.strTitleMethod),
        "translate": .unsupported,
        "upper": .method(Interpreter.strUpperMethod),
        "zfill": .method(Interpreter.strZfillMethod)
    ]
}

/// How one `str` method runs.
enum StringMethod: Sendable {
    /// Runs on the interpreter (budget, arguments, Markup escaping).
    case method(@Sendable (Interpreter) -> (StringCall) throws -> Value)
    /// `str.isX()`: a pure test of the string's scalars, taking no arguments.
    case predicate(@Sendable ([Unicode.Scalar]) -> Bool)
    /// Python has it (so a template may name it); Parley does not run it.
    case unsupported

    /// `islower` / `isupper`: the cased characters exist and all pass `test`.
    static func allCased(_ s: [Unicode.Scalar], _ test: (Unicode.Scalar) -> Bool) -> Bool {
        let cased = s.filter(PyString.isCased)
        return !cased.isEmpty && cased.allSatisfy(test)
    }

    /// `istitle`: uppercase (or titlecase) letters only after uncased ones, lowercase only after
    /// cased ones, and at least one cased character.
    static func isTitle(_ s: [Unicode.Scalar]) -> Bool {
        var previousCased = false
        var sawCased = false
        for c in s {
            if c.properties.isUppercase || c.properties.generalCategory == .titlecaseLetter {
                if previousCased { return false }
                previousCased = true
                sawCased = true
            } else if c.properties.isLowercase {
                if !previousCased { return false }
                previousCased = true
                sawCased = true
            } else {
                previousCased = false
            }
        }
        return sawCased
    }
}

/// One call of a `str` method: the receiver and what was passed.
struct StringCall {
    let s: String
    let scalars: [Unicode.Scalar]
    let name: String
    let arguments: Interpreter.CallArguments
    /// The receiver is `Markup`: results stay Markup, and inserted text is escaped.
    let markup: Bool

    /// The name errors report, as Python does.
    var function: String { "str.\(name)" }
}
