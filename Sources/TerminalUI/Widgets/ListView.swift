/// One row of a `ListView`: a title and optional right-aligned detail (a size, a date).
public struct ListItem: Hashable, Sendable {
    public var title: String
    public var detail: String

    public init(_ title: String, detail: String = "") {
        self.title = title
        self.detail = detail
    }
}

/// What the app should do after the list saw a key.
public enum ListResult: Hashable, Sendable {
    case handled
    case ignored
    /// Enter on a row: the index into `items` (not into the filtered rows).
    case activated(Int)
    /// Escape: close the list.
    case cancelled
}

/// A selectable list with type-to-filter, for pickers (models, transcripts, themes).
///
/// Typing narrows the rows to items containing every typed word (case-insensitive, in the
/// title or the detail); the selection stays on the same item when it survives the filter.
public struct ListView: Hashable, Sendable {
    public private(set) var items: [ListItem]
    public private(set) var filter = ""
    /// Indices into `items` of the rows shown, in order.
    public private(set) var visibleIndices: [Int] = []
    /// Selected position within `visibleIndices`, nil when nothing matches.
    public private(set) var selectedRow: Int?
    /// First row shown.
    public private(set) var scrollTop = 0
    public private(set) var viewportHeight: Int

    public init(items: [ListItem] = [], viewportHeight: Int = 10) {
        self.items = items
        self.viewportHeight = max(1, viewportHeight)
        applyFilter(keeping: nil)
    }

    /// The selected item's index in `items`.
    public var selectedIndex: Int? { selectedRow.map { visibleIndices[$0] } }
    public var selectedItem: ListItem? { selectedIndex.map { items[$0] } }

    public mutating func setItems(_ newItems: [ListItem]) {
        let keep = selectedItem
        items = newItems
        applyFilter(keeping: keep)
    }

    public mutating func setFilter(_ text: String) {
        let keep = selectedItem
        filter = text
        applyFilter(keeping: keep)
    }

    public mutating func setViewportHeight(_ height: Int) {
        viewportHeight = max(1, height)
        scrollSelectionIntoView()
    }

    /// Moves the selection by `delta` rows, stopping at the ends.
    public mutating func moveSelection(by delta: Int) {
        guard let row = selectedRow else { return }
        selectedRow = min(max(0, row + delta), visibleIndices.count - 1)
        scrollSelectionIntoView()
    }

    /// Selects the row showing `items[index]`, if it is visible.
    public mutating func select(itemAt index: Int) {
        guard let row = visibleIndices.firstIndex(of: index) else { return }
        selectedRow = row
        scrollSelectionIntoView()
    }

    public mutating func handle(_ key: KeyEvent) -> ListResult {
        if let character = key.typedCharacter {
            setFilter(filter + String(character))
            return .handled
        }
        switch key {
        case .up, .ctrl("p"): moveSelection(by: -1)
        case .down, .ctrl("n"): moveSelection(by: 1)
        case .pageUp: moveSelection(by: -max(1, viewportHeight - 1))
        case .pageDown: moveSelection(by: max(1, viewportHeight - 1))
        case .home: moveSelection(by: -visibleIndices.count)
        case .end: moveSelection(by: visibleIndices.count)
        case .backspace:
            if !filter.isEmpty { setFilter(String(filter.dropLast())) }
        case .ctrl("u"): setFilter("")
        case .enter:
            return selectedIndex.map { .activated($0) } ?? .handled
        case .escape: return .cancelled
        default: return .ignored
        }
        return .handled
    }

    private mutating func applyFilter(keeping kept: ListItem?) {
        let words = filter.lowercased().split(separator: " ")
        visibleIndices = items.indices.filter { index in
            let haystack = (items[index].title + " " + items[index].detail).lowercased()
            return words.allSatisfy { haystack.contains($0) }
        }
        if visibleIndices.isEmpty {
            selectedRow = nil
        } else if let kept, let row = visibleIndices.firstIndex(where: { items[$0] == kept }) {
            selectedRow = row
        } else {
            selectedRow = 0
        }
        scrollSelectionIntoView()
    }

    private mutating func scrollSelectionIntoView() {
        let maxTop = max(0, visibleIndices.count - viewportHeight)
        guard let row = selectedRow else {
            scrollTop = 0
            return
        }
        if row < scrollTop { scrollTop = row }
        if row >= scrollTop + viewportHeight { scrollTop = row - viewportHeight + 1 }
        scrollTop = min(scrollTop, maxTop)
    }
}
