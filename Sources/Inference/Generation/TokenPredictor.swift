/// Something that turns tokens into next-token logits while remembering what it has seen:
/// the transformer with its KV cache, or a stand-in in tests.
public protocol TokenPredictor: AnyObject {
    /// The most tokens the cache can hold.
    var contextLength: Int { get }
    /// Tokens currently in the cache.
    var position: Int { get }
    var vocabularySize: Int { get }
    /// Forgets every cached token at or after `position`.
    func truncate(to position: Int)
    /// Appends `tokens` to the cache and returns the logits that follow the last of them.
    /// The buffer stays valid until the next call.
    func predict(_ tokens: UnsafeBufferPointer<Int32>) throws -> UnsafeBufferPointer<Float>
}

extension Transformer: TokenPredictor {
    public var vocabularySize: Int { model.config.vocabularySize }

    public func predict(_ tokens: UnsafeBufferPointer<Int32>) throws -> UnsafeBufferPointer<Float> {
        try evaluate(tokens, logits: .last).last
    }
}
