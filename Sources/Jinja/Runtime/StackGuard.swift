/// Fails cleanly when the current thread has used more than `limit` bytes of stack since `base`.
struct StackGuard: Sendable {
    let base: UInt
    let limit: Int

    /// A guard that never fires (for code already known to run shallowly).
    static let unlimited = StackGuard(base: 0, limit: Int.max)

    @inline(never)
    func check() throws(JinjaError) {
        guard base != 0 else { return }
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        if base > here && Int(base - here) > limit {
            throw JinjaError.limit(message: "template nesting exhausted the native stack")
        }
    }
}
