import Prometheus

/// The Prometheus metrics `/metrics` serves: requests by status, tokens, queue and slots, and
/// time to first token.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let promptTokens: Counter
    private let completionTokens: Counter
    private let queueLength: Gauge
    private let activeSlots: Gauge
    private let slots: Gauge
    private let timeToFirstToken: DurationHistogram

    public init() {
        promptTokens = registry.makeCounter(
            descriptor: Self.name("prompt_tokens", "total", "Prompt tokens of finished requests."))
        completionTokens = registry.makeCounter(
            descriptor: Self.name(
                "completion_tokens", "total",
                "Completion tokens generated, every choice counted."))
        queueLength = registry.makeGauge(descriptor: Self.name("queue", "length", "Requests waiting for a slot."))
        activeSlots = registry.makeGauge(descriptor: Self.name("slots", "busy", "Slots generating an answer now."))
        slots = registry.makeGauge(descriptor: Self.name("slots", "", "Slots that generate at the same time."))
        let buckets: [Duration] = [
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30)
        ]
        timeToFirstToken = registry.makeDurationHistogram(
            descriptor: Self.name(
                "time_to_first_token", "seconds", "From the request's arrival to its first answer text."),
            buckets: buckets)
    }

    /// Counts one answered request (any status) under its path and status.
    public func request(path: String, status: Int) {
        let known =
            ["/v1/chat/completions", "/v1/completions", "/v1/models", "/health", "/metrics"].contains(path)
            ? path : "other"
        registry.makeCounter(
            descriptor: Self.name("requests", "total", "HTTP requests answered, by path and status."),
            labels: [("path", known), ("status", String(status))]
        ).increment()
    }

    /// `parley_NAME_UNIT`, with its help line.
    private static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "parley", metricName: name, unitName: unit, helpText: help)
    }

    public func tokens(prompt: Int, completion: Int) {
        promptTokens.increment(by: Int64(prompt))
        completionTokens.increment(by: Int64(completion))
    }

    public func firstToken(after duration: Duration) { timeToFirstToken.record(duration) }

    /// The text exposition, with the scheduler's current load.
    public func render(load: SchedulerLoad) -> [UInt8] {
        queueLength.set(Int64(load.queued))
        activeSlots.set(Int64(load.active))
        slots.set(Int64(load.slots))
        return registry.emitToBuffer()
    }
}
