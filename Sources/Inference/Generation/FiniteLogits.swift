/// Refuses logits that are not numbers.
///
/// NaN or infinite weights (a corrupt or badly converted file) make every logit NaN; sampling
/// from them picks an arbitrary token and perplexity prints `nan`, both looking like success.
/// One pass over a row costs a few microseconds next to the forward pass that made it.
public enum FiniteLogits {
    /// Throws `InferenceError.invalidArgument` naming the first non-finite logit of `row`.
    /// `what` says where the row came from ("at position 12").
    package static func check(_ row: UnsafeBufferPointer<Float>, _ what: @autoclosure () -> String)
        throws(InferenceError)
    {
        // x * 0 is 0 for every finite x and NaN for NaN and ±infinity, so one sum finds any.
        var probe = SIMD8<Float>(repeating: 0)
        var i = 0
        if let base = row.baseAddress {
            while i + 8 <= row.count {
                probe += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self) * 0
                i += 8
            }
        }
        var tail: Float = 0
        while i < row.count {
            tail += row[i] * 0
            i += 1
        }
        guard !(probe.sum() + tail).isFinite else { return }
        let index = row.firstIndex { !$0.isFinite } ?? 0
        throw .invalidArgument(
            "the model produced a non-finite logit (\(row[index]) for token \(index)) \(what()); "
                + "its weights are probably corrupt (NaN or infinite values)")
    }
}
