import Foundation

/// Every way parsing or rendering a template can fail.
///
/// The cases follow Python jinja2's exception classes so callers (and the golden tests) can tell a
/// template's own `raise_exception` message apart from a bug in the template or a sandbox limit.
public enum JinjaError: Error, Sendable, Equatable {
    /// The source is not valid Jinja (`TemplateSyntaxError`, `TemplateAssertionError`); `line` is 1-based.
    case syntax(message: String, line: Int)
    /// A template used an undefined value in a way that needs a real one (`UndefinedError`).
    case undefined(message: String)
    /// An operation got a value of the wrong type (Python `TypeError`).
    case type(message: String)
    /// Another Python-level failure during rendering; `exception` names the Python class
    /// (`ValueError`, `ZeroDivisionError`, `TemplateRuntimeError`, `OverflowError`, ...).
    case evaluation(exception: String, message: String)
    /// The sandbox refused an operation, e.g. calling `list.append` (`SecurityError`).
    case security(message: String)
    /// The template called `raise_exception(message)`; `message` is the template's text verbatim.
    case raised(message: String)
    /// A resource limit was hit (loop iterations, recursion depth, output size, nesting, the
    /// work budget, the render time).
    case limit(message: String)
    /// The caller's `shouldStop` asked the render to stop (the person cancelled or quit).
    case cancelled

    /// The Python exception class jinja2 would raise for this error.
    public var pythonExceptionName: String {
        switch self {
        case .syntax: return "TemplateSyntaxError"
        case .undefined: return "UndefinedError"
        case .type: return "TypeError"
        case .evaluation(let exception, _): return exception
        case .security: return "SecurityError"
        case .raised: return "TemplateError"
        case .limit: return "LimitError"
        case .cancelled: return "Cancelled"
        }
    }

    /// The error's message without the class name (for `raised`, exactly the template's text).
    public var message: String {
        switch self {
        case .syntax(let message, _), .undefined(let message), .type(let message),
            .evaluation(_, let message), .security(let message), .raised(let message),
            .limit(let message):
            return message
        case .cancelled:
            return "rendering was cancelled"
        }
    }
}

extension JinjaError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case .syntax(let message, let line): return "template syntax error on line \(line): \(message)"
        case .raised(let message): return "template raised an exception: \(message)"
        case .limit(let message): return "template limit exceeded: \(message)"
        case .cancelled: return "template rendering was cancelled"
        default: return "\(pythonExceptionName): \(message)"
        }
    }

    public var errorDescription: String? { description }
}
