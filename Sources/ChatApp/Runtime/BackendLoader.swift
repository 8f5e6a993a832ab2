import Chat

/// Loads a model off the UI thread: the backend and what the status bar shows about it. The
/// executable builds it for a local or a remote backend; the app knows neither.
public typealias BackendLoader = @Sendable () throws -> (backend: any ChatBackend, model: ModelSummary)
