import Chat
import TerminalUI

/// The model picker (Ctrl+P): the installed GGUF models, then every configured endpoint's
/// models (each endpoint listed as it answers, a failure shown on its own row), the current one
/// marked; a typed `owner/repo[:QUANT]` adds a row that pulls it from Hugging Face.
public struct ModelPicker: Equatable, Sendable {
    /// One endpoint's part of the list.
    public struct EndpointRows: Equatable, Sendable {
        public enum Listing: Equatable, Sendable {
            case asking
            case listed([ModelChoice])
            case failed(String)
        }

        public var endpoint: ModelEndpoint
        public var listing: Listing
    }

    /// What a row of the list stands for.
    public enum Row: Equatable, Sendable {
        case model(ModelChoice)
        /// Not a model: the folder or an endpoint still being read, or why an endpoint failed
        /// (Enter says it in the status bar).
        case notice(String)
        /// Pull this reference from Hugging Face.
        case pull(String)
    }

    public var list: ListView
    /// The installed models; nil until the folder has been read.
    public var local: [ModelChoice]?
    public var endpoints: [EndpointRows] = []
    /// What each list item stands for, by item index.
    public private(set) var rows: [Row] = []
    /// The pull running, with its last progress line.
    public var pull: ModelPullStatus?
    /// The last pull's failure, shown above the hints until the next action.
    public var problem: String?
    /// The model answering now (marked with ●).
    public var current: ModelSummary?

    public init(current: ModelSummary?, viewportHeight: Int) {
        self.current = current
        list = ListView(viewportHeight: viewportHeight)
        rebuild()
    }

    /// The row selected, if any.
    public var selectedRow: Row? {
        list.selectedIndex.flatMap { rows.indices.contains($0) ? rows[$0] : nil }
    }

    /// Sets the filter and rebuilds the rows (the pull row follows what is typed).
    public mutating func setFilter(_ text: String) {
        list.setFilter(text)
        rebuild()
    }

    /// Fills in the models folder and the endpoints about to answer.
    public mutating func setListing(local models: [ModelChoice], endpoints list: [ModelEndpoint]) {
        let firstListing = local == nil
        local = models
        endpoints = list.map { endpoint in
            endpoints.first { $0.endpoint == endpoint } ?? EndpointRows(endpoint: endpoint, listing: .asking)
        }
        rebuild()
        if firstListing { selectCurrent() }
    }

    public mutating func setEndpoint(_ endpoint: ModelEndpoint, _ listing: EndpointRows.Listing) {
        guard let index = endpoints.firstIndex(where: { $0.endpoint == endpoint }) else { return }
        endpoints[index].listing = listing
        let hadCurrent = rows.contains {
            if case .model(let choice) = $0 { return choice.matches(current) } else { return false }
        }
        rebuild()
        if !hadCurrent { selectCurrent() }
    }

    /// Moves the selection to the current model's row, when it is listed.
    mutating func selectCurrent() {
        if let index = rows.firstIndex(where: {
            if case .model(let choice) = $0 { return choice.matches(current) } else { return false }
        }) {
            list.select(itemAt: index)
        }
    }

    /// `owner/repo`, `owner/repo:QUANT` or `owner/repo/path.gguf`: what `parley pull` takes
    /// (the executable checks it fully). Nothing with spaces or an empty part.
    static func pullReference(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.contains(" "), trimmed.utf8.count <= 300 else { return nil }
        let path = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return trimmed
    }

    private mutating func rebuild() {
        var items: [ListItem] = []
        var newRows: [Row] = []
        func add(_ choice: ModelChoice) {
            let mark = choice.matches(current) ? "● " : "  "
            let detail = choice.problem.map { "unreadable: \($0)" } ?? choice.detail
            items.append(ListItem(mark + choice.name, detail: detail))
            newRows.append(.model(choice))
        }
        if let local {
            for choice in local { add(choice) }
        } else {
            items.append(ListItem("  reading the models folder…"))
            newRows.append(.notice("the models folder is still being read"))
        }
        for part in endpoints {
            switch part.listing {
            case .listed(let models):
                for choice in models { add(choice) }
                if models.isEmpty {
                    items.append(ListItem("  \(part.endpoint.name): no models", detail: part.endpoint.host))
                    newRows.append(.notice("\(part.endpoint.name) (\(part.endpoint.host)) lists no models"))
                }
            case .asking:
                items.append(ListItem("  \(part.endpoint.name): asking for its models…", detail: part.endpoint.host))
                newRows.append(.notice("\(part.endpoint.name) (\(part.endpoint.host)) has not answered yet"))
            case .failed(let message):
                items.append(ListItem("  \(part.endpoint.name): \(message)", detail: part.endpoint.host))
                newRows.append(.notice("\(part.endpoint.name): \(message)"))
            }
        }
        if let reference = Self.pullReference(list.filter),
            !(local ?? []).contains(where: { $0.name.lowercased() == reference.lowercased() })
        {
            items.append(ListItem("  pull \(reference)", detail: "from Hugging Face into the models folder"))
            newRows.append(.pull(reference))
        }
        rows = newRows
        list.setItems(items)
    }
}
