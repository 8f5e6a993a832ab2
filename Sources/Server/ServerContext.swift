import Hummingbird
import Synchronization

/// The request context: Hummingbird's core storage plus the token counts a handler reports
/// for the access log (the stream's body is written after the middleware has returned).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let stats = RequestStats()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Token counts of one request, set by its handler, read by the access log.
public final class RequestStats: Sendable {
    private let counts = Mutex((prompt: 0, completion: 0))

    public init() {}

    public func record(prompt: Int, completion: Int) {
        counts.withLock { $0 = (prompt, completion) }
    }

    public var tokens: (prompt: Int, completion: Int) { counts.withLock { $0 } }
}

/// Compares secrets in time that depends only on the expected key's length, not on where
/// the first difference is.
enum ConstantTime {
    static func equal(_ given: some Collection<UInt8>, _ expected: some Collection<UInt8>) -> Bool {
        let given = Array(given)
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        for (index, byte) in expected.enumerated() {
            difference |= (index < given.count ? given[index] : 0) ^ byte
        }
        return difference == 0
    }
}
