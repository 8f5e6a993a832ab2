/// `for` loops, the `loop` object, and Python iteration of values.
extension Interpreter {
    func executeFor(_ loop: ForLoop, scope: Scope, into output: inout String) throws -> Flow {
        var items = try iterate(try evaluate(loop.iterable, scope: scope))
        if let filter = loop.filter {
            var kept: [Value] = []
            for item in items {
                try countIteration()
                let testScope = Scope(parent: scope)
                try assign(loop.target, item, scope: testScope)
                if try evaluate(filter, scope: testScope).isTruthy { kept.append(item) }
            }
            items = kept
        }
        // jinja2 runs `else` unless some iteration reached the end of the body: empty loops, but
        // also loops where every iteration hit `continue` or the first one hit `break`.
        var completedAnIteration = false
        if items.isEmpty {
            return try execute(loop.otherwise, scope: Scope(parent: scope), into: &output)
        }
        loops.append(LoopState(items: items))
        let id = loops.count - 1
        let loopValue = Value.native(NativeObject(.loop(id)))
        for (index, item) in items.enumerated() {
            try countIteration()
            loops[id].index0 = index
            let iterationScope = Scope(parent: scope)
            iterationScope.set("loop", loopValue)
            try assign(loop.target, item, scope: iterationScope)
            let flow = try execute(loop.body, scope: iterationScope, into: &output)
            if flow == .breakLoop { break }
            if flow == .normal { completedAnIteration = true }
        }
        if !completedAnIteration {
            return try execute(loop.otherwise, scope: Scope(parent: scope), into: &output)
        }
        return .normal
    }

    /// An attribute of a `loop` object (`index`, `first`, `previtem`, `cycle`, ...).
    func loopAttribute(_ id: Int, _ name: String) -> Value {
        let state = loops[id]
        let length = state.items.count
        let index0 = state.index0
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(1)
        case "depth0": return .int(0)
        case "previtem":
            return index0 > 0 ? state.items[index0 - 1] : .undefined(Undefined(.hint("there is no previous item")))
        case "nextitem":
            return index0 + 1 < length
                ? state.items[index0 + 1] : .undefined(Undefined(.hint("there is no next item")))
        case "cycle", "changed":
            return .native(NativeObject(.method(receiver: .native(NativeObject(.loop(id))), name: name)))
        default:
            return .undefined(Undefined(.attribute(owner: "jinja2.runtime.LoopContext object", name: name)))
        }
    }

    /// `loop.cycle(...)` and `loop.changed(...)`.
    func callLoopMethod(_ id: Int, _ name: String, _ arguments: CallArguments) throws -> Value {
        if name == "cycle" {
            guard !arguments.positional.isEmpty else {
                throw JinjaError.type(message: "no items for cycling given")
            }
            return arguments.positional[loops[id].index0 % arguments.positional.count]
        }
        let values = arguments.positional
        if let last = loops[id].lastChanged, try pyEquals(.tuple(last), .tuple(values)) {
            return .bool(false)
        }
        loops[id].lastChanged = values
        return .bool(true)
    }

    /// Python `iter(value)` materialized: list items, dict keys, string characters; undefined is empty.
    /// Charged by the number of items, since every caller goes on to visit them; a string becomes a
    /// list of one-character strings, so it is limited like a built list.
    func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .array(let items), .tuple(let items):
            try addWork(items.count)
            return items
        case .object(let object):
            try addWork(object.count)
            return object.keys
        case .string(let s), .markup(let s):
            try touch(s)
            try produced(elements: s.unicodeScalars.count)
            if case .markup = value { return s.unicodeScalars.map { .markup(String($0)) } }
            return s.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        case .native(let object):
            if case .iterator(let id, _) = object.kind {
                if iterators[id].consumed { return [] }
                iterators[id].consumed = true
                if let pending = iterators[id].pending {
                    iterators[id].pending = nil
                    return try pending()
                }
                return iterators[id].items
            }
            if case .view(_, let items) = object.kind {
                try addWork(items.count)
                return items
            }
            throw JinjaError.type(message: "'\(value.typeName)' object is not iterable")
        default:
            throw JinjaError.type(message: "'\(value.typeName)' object is not iterable")
        }
    }
}
