import Foundation

/// A parsed Jinja template, rendered with jinja2's Hugging Face chat-template semantics.
///
/// Parsing happens once in `init`; `render` is cheap and can be called concurrently from
/// several threads because every render gets its own interpreter state.
public struct Template: Sendable {
    let body: [Stmt]
    public let limits: Limits

    /// Parses `source`; throws `JinjaError.syntax` (with a line number) for invalid templates.
    public init(_ source: String) throws {
        try self.init(source, limits: .standard)
    }

    /// Parses `source` with custom resource limits.
    public init(_ source: String, limits: Limits) throws {
        self.limits = limits
        self.body = ConstantFolder.fold(try Parser.parse(source, limits: limits), limits: limits)
    }

    /// Renders with `context` as the template's variables; `strftime_now` reads `now` (UTC),
    /// or the current time when `now` is nil.
    public func render(_ context: [String: Value], now: Date? = nil) throws -> String {
        let interpreter = Interpreter(limits: limits, now: now ?? Date())
        return try interpreter.render(body, context: context)
    }
}
