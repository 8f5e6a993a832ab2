import Chat
import ChatApp
import Foundation
import Inference
import LocalChat
import ModelHub
import RemoteChat

/// What the chat's model picker lists, loads and pulls, filled from the models folder
/// (`ModelCatalog`), config.json's endpoints (`ConfiguredModels`) and each endpoint's `/models`
/// (`RemoteChat.ModelList`), with `ModelPuller` for references not installed. The app sees only
/// `ChatApp.ModelDirectory`, so it links none of these.
struct AppModelDirectory: ChatApp.ModelDirectory {
    /// Where each endpoint the picker shows is, by its name.
    private struct Target: Sendable {
        var url: String
        var keyVariable: String?
    }

    let endpoints: [ChatApp.ModelEndpoint]
    private let targets: [String: Target]
    let modelsFolder: URL
    /// The model the chat started with when it lies outside the models folder (`-m PATH`), so
    /// the picker can switch back to it.
    let startingModel: String?
    /// `--ctx` and `--threads` for local models.
    let contextLength: Int?
    let threads: Int?
    /// `--no-speculate` turns speculation off for local models.
    var speculate = true
    /// `--cache-type` for local models.
    var cacheType = KVCachePrecision.f16
    /// `--stall-timeout` and `--no-extensions` for remote models.
    let stallTimeout: Duration
    let extensions: Bool
    let environment: [String: String]

    /// `commandLineEndpoint` is `--endpoint` when it was a URL rather than a configured name.
    init(
        config: ModelsConfig, commandLineEndpoint: (url: String, keyVariable: String?)?, startingModel: String?,
        contextLength: Int?, threads: Int?, stallTimeout: Duration, extensions: Bool,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        var list: [ChatApp.ModelEndpoint] = []
        var targets: [String: Target] = [:]
        var pairs = config.endpoints.map { ($0.name, Target(url: $0.url, keyVariable: $0.keyVariable)) }
        if let extra = commandLineEndpoint, !config.endpoints.contains(where: { $0.url == extra.url }) {
            pairs.insert(("--endpoint", Target(url: extra.url, keyVariable: extra.keyVariable)), at: 0)
        }
        for (name, target) in pairs {
            let host = (try? RemoteEndpoint(url: target.url, environment: [:]))?.host ?? target.url
            list.append(ChatApp.ModelEndpoint(name: name, host: host))
            targets[name] = target
        }
        endpoints = list
        self.targets = targets
        modelsFolder = Paths.modelsDirectory(environment: environment)
        self.startingModel = startingModel
        self.contextLength = contextLength
        self.threads = threads
        self.stallTimeout = stallTimeout
        self.extensions = extensions
        self.environment = environment
    }

    func localModels() -> [ModelChoice] {
        var choices = ModelCatalog(folder: modelsFolder).installed().map(Self.choice)
        if let startingModel, !choices.contains(where: { Self.samePath($0.place, startingModel) }) {
            let name = URL(fileURLWithPath: startingModel).deletingPathExtension().lastPathComponent
            choices.insert(
                ModelChoice(place: .local(path: startingModel), name: name, detail: "local · \(startingModel)"),
                at: 0)
        }
        return choices
    }

    func remoteModels(of endpoint: ChatApp.ModelEndpoint) throws(ChatAppError) -> [ModelChoice] {
        let options = try remoteOptions(endpoint, model: nil)
        switch ModelList.fetch(options) {
        case .success(let models):
            return models.map { model in
                ModelChoice(
                    place: .remote(endpoint: endpoint.name, host: endpoint.host, model: model.id), name: model.id,
                    detail: "\(endpoint.name) · \(endpoint.host)"
                        + (model.contextLength.map { " · ctx \($0)" } ?? ""))
            }
        case .failure(let error):
            throw .model(error.description)
        }
    }

    func loader(for choice: ModelChoice) -> BackendLoader {
        switch choice.place {
        case .local(let path):
            var options = SessionOptions(modelPath: path, contextLength: contextLength, threads: threads)
            options.speculate = speculate
            options.cacheType = cacheType
            return ChatSession.loader(options: options)
        case .remote(let endpoint, let host, let model):
            do {
                return RemoteSession.loader(
                    options: try remoteOptions(
                        ChatApp.ModelEndpoint(name: endpoint, host: host),
                        model: model))
            } catch {
                return { throw error }
            }
        }
    }

    func pull(_ reference: String, report: @escaping @Sendable (ModelPullStatus) -> Void) async throws(ChatAppError)
        -> ModelChoice
    {
        let parsed: ModelHub.ModelReference
        let hub: HubEndpoint
        do throws(ModelHubError) {
            parsed = try ModelHub.ModelReference(parsing: reference)
            hub = try HubEndpoint(environment: environment)
        } catch { throw .model("cannot pull \(reference): \(error.description)") }
        let throttle = PullThrottle(report: report)
        let puller = ModelPuller(endpoint: hub, modelsFolder: modelsFolder)
        let result: ModelPuller.Result
        do { result = try await puller.pull(parsed) { throttle.handle($0) } } catch {
            throw .model("pull \(reference): \(error.description)")
        }
        let catalog = ModelCatalog(folder: modelsFolder)
        guard let first = result.paths.first,
            let installed = catalog.installed().first(where: { $0.path == first })
        else {
            throw .model("pull \(reference): the model is not in \(modelsFolder.path) after the pull")
        }
        return Self.choice(installed)
    }

    private func remoteOptions(_ endpoint: ChatApp.ModelEndpoint, model: String?) throws(ChatAppError) -> RemoteOptions
    {
        guard let target = targets[endpoint.name] else { throw .model("\(endpoint.name) is not a configured endpoint") }
        do throws(RemoteError) {
            let parsed = try RemoteEndpoint(url: target.url, keyVariable: target.keyVariable, environment: environment)
            return RemoteOptions(endpoint: parsed, model: model, stallTimeout: stallTimeout, extensions: extensions)
        } catch { throw .model("\(endpoint.name): \(error.description)") }
    }

    private static func choice(_ model: InstalledModel) -> ModelChoice {
        var parts = ["local"]
        if let architecture = model.architecture { parts.append(architecture) }
        if model.parameters != nil { parts.append(model.parameterText) }
        if let quant = model.quant { parts.append(quant) }
        parts.append(ByteFormat.string(model.sizeBytes))
        return ModelChoice(
            place: .local(path: model.path), name: model.name, detail: parts.joined(separator: " · "),
            problem: model.problem)
    }

    private static func samePath(_ place: ModelChoice.Place, _ path: String) -> Bool {
        guard case .local(let listed) = place else { return false }
        return URL(fileURLWithPath: listed).resolvingSymlinksInPath().path
            == URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}

/// Turns a pull's events into the picker's progress line, at most ten a second (the network
/// reports every chunk).
private final class PullThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var last: ContinuousClock.Instant?
    private let report: @Sendable (ModelPullStatus) -> Void

    init(report: @escaping @Sendable (ModelPullStatus) -> Void) { self.report = report }

    func handle(_ event: PullEvent) {
        let status: ModelPullStatus?
        switch event {
        case .listing(let repo): status = ModelPullStatus(text: "listing \(repo)…")
        case .planned(let files, let total, let have):
            let resume = have > 0 ? ", resuming with \(ByteFormat.string(have)) already here" : ""
            status = ModelPullStatus(text: "\(files.joined(separator: ", ")) (\(ByteFormat.string(total))\(resume))")
        case .progress(let progress):
            let now = ContinuousClock.now
            let due = lock.withLock { () -> Bool in
                if let last, last.duration(to: now) < .milliseconds(100), progress.received < progress.total {
                    return false
                }
                last = now
                return true
            }
            guard due else { return }
            status = ModelPullStatus(
                text: ProgressFormat.line(progress).replacingOccurrences(of: "pull: ", with: ""),
                fraction: progress.fraction)
        case .verified(let file): status = ModelPullStatus(text: "\(file): sha256 verified", fraction: 1)
        case .installed: status = nil
        }
        if let status { report(status) }
    }
}

extension EndpointOptions {
    /// The picker's directory for a chat started with these options.
    func modelDirectory(config: ModelsConfig, startingModel: String?, contextLength: Int?, threads: Int?)
        -> AppModelDirectory
    {
        var given: (url: String, keyVariable: String?)?
        if let endpoint, endpoint.contains("://") { given = (endpoint, apiKeyEnv) }
        return AppModelDirectory(
            config: config, commandLineEndpoint: given, startingModel: startingModel, contextLength: contextLength,
            threads: threads, stallTimeout: .milliseconds(Int64((stallTimeout ?? 60) * 1000)), extensions: !noExtensions
        )
    }
}
