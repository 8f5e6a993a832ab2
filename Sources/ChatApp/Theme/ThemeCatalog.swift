import Foundation

/// The themes available at run time: the built-in ones (compiled in, plus `themes/*.json` from
/// the repository or install folder) and the user's (`$XDG_CONFIG_HOME/parley/themes/*.json`).
///
/// A user theme with a built-in theme's name replaces it. Files that fail to parse are reported
/// in `problems` and skipped, so one bad file never costs the person their chat.
public struct ThemeCatalog: Sendable, Equatable {
    /// Every usable theme, `default-dark` first, then by name.
    public private(set) var themes: [Theme]
    /// One message per file that could not be used.
    public private(set) var problems: [String]

    /// A catalog of just the compiled-in themes.
    public init() {
        themes = [ThemeDefaults.defaultDark, ThemeDefaults.mono]
        problems = []
    }

    /// Loads `*.json` from each folder in order; later folders override earlier ones by name.
    public init(directories: [URL]) {
        var byName: [String: Theme] = [:]
        for theme in [ThemeDefaults.defaultDark, ThemeDefaults.mono] { byName[theme.name] = theme }
        var problems: [String] = []
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
                let url = directory.appendingPathComponent(name)
                do {
                    let data: Data
                    do { data = try Data(contentsOf: url) } catch {
                        throw ChatAppError.themeMalformed(file: url.path, detail: "cannot read it")
                    }
                    let theme = try Theme.decode(data, file: url.path)
                    byName[theme.name] = theme
                } catch {
                    problems.append(String(describing: error))
                }
            }
        }
        themes = byName.values.sorted { lhs, rhs in
            if lhs.name == ThemeDefaults.defaultDark.name { return rhs.name != lhs.name }
            if rhs.name == ThemeDefaults.defaultDark.name { return false }
            return lhs.name < rhs.name
        }
        self.problems = problems
    }

    public var names: [String] { themes.map(\.name) }

    /// The theme called `name`, if any.
    public func theme(named name: String) -> Theme? {
        themes.first { $0.name == name }
    }

    /// The folder holding the repository's (or the installation's) `themes/*.json`.
    ///
    /// `$PARLEY_THEMES_DIR` wins; otherwise the folders above the executable are searched for a
    /// `themes/default-dark.json` (a build at `.build/release/parley` finds the repository's
    /// `themes/`), then `share/parley/themes` beside an installed `bin/parley`.
    public static func builtInDirectory(
        executable: URL?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL? {
        if let explicit = environment["PARLEY_THEMES_DIR"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        guard let executable else { return nil }
        var candidates: [URL] = []
        for start in [executable, executable.resolvingSymlinksInPath()] {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<5 {
                candidates.append(folder.appendingPathComponent("themes", isDirectory: true))
                candidates.append(folder.appendingPathComponent("share/parley/themes", isDirectory: true))
                folder = folder.deletingLastPathComponent()
            }
        }
        return candidates.first { folder in
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("default-dark.json").path)
        }
    }

    /// `$XDG_CONFIG_HOME/parley/themes`, the user's own themes.
    public static func userDirectory(configHome: URL) -> URL {
        configHome.appendingPathComponent("parley/themes", isDirectory: true)
    }
}

extension ThemeCatalog {
    /// The theme to start with: `NO_COLOR` gives `mono`, then `--theme`, then the remembered
    /// choice, then the default. An unknown requested name is reported, not fatal.
    public func choose(requested: String?, noColor: Bool, remembered: String?) -> (name: String?, problem: String?) {
        if noColor { return ("mono", nil) }
        if let requested {
            if theme(named: requested) != nil { return (requested, nil) }
            return (nil, ChatAppError.unknownTheme(name: requested, available: names).description)
        }
        if let remembered, theme(named: remembered) != nil { return (remembered, nil) }
        return (nil, nil)
    }
}
