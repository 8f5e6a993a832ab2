import Foundation
import Jinja

/// A lock-protected dictionary of compiled templates shared by parallel test cases.
final class TemplateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var templates: [String: ChatTemplate] = [:]

    func get(_ name: String) -> ChatTemplate? {
        lock.withLock { templates[name] }
    }

    func set(_ name: String, _ template: ChatTemplate) {
        lock.withLock { templates[name] = template }
    }
}
