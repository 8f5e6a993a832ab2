import Foundation
import Testing

@testable import Jinja

/// Renders run on reused large-stack worker threads, not on a new thread each, and a burst of
/// concurrent renders beyond the idle pool still works.
@Suite("Deep-stack worker threads")
struct DeepStackTests {
    #if os(Linux)
        @Test("sequential runs reuse the idle workers instead of a thread each")
        func sequentialRunsShareAThread() throws {
            // "/proc/PID/task/TID": thread ids are not reused soon, unlike pthread_t values.
            let threadPath: @Sendable () -> String? = {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
            }
            let ids = try (0..<20).map { _ in try DeepStack.run { _ in threadPath() } }
            // Other tests render at the same time and may borrow a worker in between, so allow the
            // idle pool's size; a thread per render would give 20.
            #expect(Set(ids).count <= DeepStack.maxIdleWorkers, "thread ids: \(Set(ids.compactMap { $0 }).sorted())")
            #expect(ids.first != threadPath())
        }
    #endif

    @Test("32 concurrent renders, more than the idle pool holds, all finish with their own result")
    func concurrentRendersKeepABoundedPool() async throws {
        let template = try Template("{{ messages | length }}:{% for m in messages %}{{ m }}{% endfor %}")
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<32 {
                group.addTask { try template.render(["messages": .array([.int(index)])]) }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(results) == Set((0..<32).map { "1:\($0)" }))
    }

    @Test("deep nesting still fails cleanly on a reused worker, and the worker still works after")
    func stackLimitOnReusedWorker() throws {
        let deep = String(repeating: "(", count: 200_000) + "1" + String(repeating: ")", count: 200_000)
        for _ in 0..<3 {
            #expect(throws: JinjaError.self) { _ = try Template("{{ \(deep) }}") }
            #expect(try Template("{{ 1 + 1 }}").render([:]) == "2")
        }
    }
}
