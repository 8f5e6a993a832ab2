import Foundation

/// A parsed Jinja template, rendered with jinja2's Hugging Face chat-template semantics.
///
/// Parsing happens once in `init`; `render` can be called concurrently from several threads
/// because every render gets its own interpreter state. Both run on a private large-stack thread
/// (see `DeepStack`), so deeply nested input fails with `JinjaError.limit` instead of crashing.
public struct Template: Sendable {
    let body: [Stmt]
    public let limits: Limits

    /// Parses `source`; throws `JinjaError.syntax` (with a line number) for invalid templates.
    public init(_ source: String) throws(JinjaError) {
        try self.init(source, limits: .standard)
    }

    /// Parses `source` with custom resource limits.
    public init(_ source: String, limits: Limits) throws(JinjaError) {
        self.limits = limits
        self.body = try DeepStack.run { (stack) throws(JinjaError) in
            ConstantFolder.fold(try Parser.parse(source, limits: limits, stack: stack), limits: limits, stack: stack)
        }
    }

    /// Renders with `context` as the template's variables; `strftime_now` reads `now` (UTC),
    /// or the current time when `now` is nil.
    ///
    /// `shouldStop` is asked every few milliseconds of work (from the rendering thread); when it
    /// returns true the render ends with `JinjaError.cancelled`. Rendering also ends with
    /// `JinjaError.limit` once it has done `limits.maxWork` units of work or run for
    /// `limits.maxRenderTime`.
    public func render(
        _ context: [String: Value], now: Date? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(JinjaError) -> String {
        let body = body
        let limits = limits
        let date = now ?? Date()
        return try DeepStack.run { (stack) throws(JinjaError) in
            let interpreter = Interpreter(limits: limits, now: date, stack: stack, shouldStop: shouldStop)
            // The evaluator throws untyped: constant folding signals "not a constant" through it
            // with `ConstantFolder.Impossible`, which a render (not in constant mode) never raises.
            do {
                return try interpreter.render(body, context: context)
            } catch let error as JinjaError {
                throw error
            } catch {
                throw JinjaError.evaluation(exception: "RuntimeError", message: "internal error: \(error)")
            }
        }
    }
}
