/// Something ordered by a 64-bit key: the smaller key comes out of a `KeyedMinHeap` first.
protocol HeapKeyed {
    var key: UInt64 { get }
}

/// A binary min-heap on a `UInt64` key: the priority queue of both tokenizers' merge loops
/// (BPE by merge rank, SentencePiece by score), which pack their whole ordering into the key.
/// It keeps its storage between words so encoding does not allocate per word.
struct KeyedMinHeap<Element: HeapKeyed> {
    private var elements: [Element] = []

    var isEmpty: Bool { elements.isEmpty }

    mutating func removeAll() {
        elements.removeAll(keepingCapacity: true)
    }

    mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child].key < elements[parent].key else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard let top = elements.first else { return nil }
        let last = elements.removeLast()
        guard !elements.isEmpty else { return top }
        elements[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < elements.count else { break }
            var smallest = left
            if left + 1 < elements.count && elements[left + 1].key < elements[left].key { smallest = left + 1 }
            guard elements[smallest].key < elements[parent].key else { break }
            elements.swapAt(smallest, parent)
            parent = smallest
        }
        return top
    }
}
