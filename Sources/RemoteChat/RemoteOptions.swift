/// How to reach a remote engine and how patient to be with it.
public struct RemoteOptions: Sendable {
    public var endpoint: RemoteEndpoint
    /// The model id to ask for; nil takes the first one `/models` lists.
    public var model: String?
    /// A stream that sends no byte for this long is closed as stalled.
    public var stallTimeout: Duration
    /// How long connecting may take.
    public var connectTimeout: Duration
    /// Send llama.cpp's and vLLM's sampler extensions (`top_k`, `min_p`, `repeat_penalty`, ...);
    /// off for hosted APIs that refuse fields they do not know.
    public var extensions: Bool

    public init(
        endpoint: RemoteEndpoint, model: String? = nil, stallTimeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(10), extensions: Bool = true
    ) {
        self.endpoint = endpoint
        self.model = model
        self.stallTimeout = stallTimeout
        self.connectTimeout = connectTimeout
        self.extensions = extensions
    }
}
