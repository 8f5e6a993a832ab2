import Foundation

/// The `round` filter: Python `round(value, precision)` or `math.ceil`/`math.floor` scaled.
extension Interpreter {
    func round(_ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["precision", "method"], function: "do_round")
        let precision = try intArgument(bound[0], "round", default: 0)
        let method = try stringArgument(bound[1], "round") ?? "common"
        guard ["common", "ceil", "floor"].contains(method) else {
            throw JinjaError.evaluation(
                exception: "FilterArgumentError", message: "method must be common, ceil or floor")
        }
        guard let number = value.doubleValue else {
            throw JinjaError.type(message: "type \(value.typeName) doesn't define __round__ method")
        }
        let clamped = max(-400, min(400, precision))
        if method != "common" {
            let scale = pow(10.0, Double(clamped))
            let scaled = number * scale
            return .double((method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)) / scale)
        }
        if let integer = value.intValue {
            guard precision < 0 else { return .int(integer) }
            let scale = pow(10.0, Double(-clamped))
            return .int(Int(exactly: (Double(integer) / scale).rounded(.toNearestOrEven) * scale) ?? integer)
        }
        guard number.isFinite else { return .double(number) }
        if clamped >= 0 {
            let text = String(format: "%.\(min(clamped, 340))f", number)
            return .double(Double(text) ?? number)
        }
        let scale = pow(10.0, Double(-clamped))
        return .double((number / scale).rounded(.toNearestOrEven) * scale)
    }
}
