import Foundation

/// What can go wrong in the chat app itself (not in the model or the conversation layer).
public enum ChatAppError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A theme file that cannot be used; the default theme is used instead.
    case themeMalformed(file: String, detail: String)
    /// `--theme NAME` (or the remembered choice) names no known theme.
    case unknownTheme(name: String, available: [String])
    /// The config file could not be read or written.
    case configIO(path: String, reason: String)
    /// config.json has a model key (endpoints, default model or parameters) that cannot be used.
    case configInvalid(path: String, reason: String)
    /// A model could not be listed, loaded or pulled (the picker shows why; nothing else changes).
    case model(String)

    public var description: String {
        switch self {
        case .themeMalformed(let file, let detail):
            return "theme \(file) is not usable (\(detail)); using the default theme"
        case .unknownTheme(let name, let available):
            return "no theme named '\(name)' (available: \(available.joined(separator: ", ")))"
        case .configIO(let path, let reason):
            return "cannot save settings to \(path): \(reason)"
        case .configInvalid(let path, let reason):
            return "\(path): \(reason)"
        case .model(let message):
            return message
        }
    }

    public var errorDescription: String? { description }
}
