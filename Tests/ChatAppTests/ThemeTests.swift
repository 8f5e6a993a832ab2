import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Theme files, the built-in fallbacks, colour downsampling and the remembered choice.
struct ThemeTests {
    static let themesFolder = TestPaths.repositoryFile("themes")
    static let builtInNames = ["default-dark", "high-contrast", "light", "mono", "solarized-dark"]

    @Test func everyBuiltInThemeFileLoads() {
        let catalog = ThemeCatalog(directories: [Self.themesFolder])
        #expect(catalog.problems.isEmpty)
        #expect(catalog.names == Self.builtInNames)
    }

    @Test func compiledInThemesMatchTheirFiles() throws {
        let compiled = ThemeCatalog()
        for name in ["default-dark", "mono"] {
            let data = try Data(contentsOf: Self.themesFolder.appendingPathComponent("\(name).json"))
            let file = try Theme.decode(data, file: name)
            #expect(file == compiled.theme(named: name), "themes/\(name).json and the compiled-in theme differ")
        }
    }

    /// On 8-, 16- and 256-colour terminals no style may draw its text in its own background colour.
    @Test(arguments: [8, 16, 256])
    func textStaysVisibleAfterDownsampling(_ colorCount: Int) {
        let catalog = ThemeCatalog(directories: [Self.themesFolder])
        for theme in catalog.themes {
            for slot in ThemeSlot.allCases {
                let style = theme[slot]
                guard style.foreground != .default, style.background != .default else { continue }
                let fg = style.foreground.paletteIndex(forColorCount: colorCount)
                let bg = style.background.paletteIndex(forColorCount: colorCount)
                #expect(fg != bg, "\(theme.name) \(slot.rawValue) is invisible with \(colorCount) colours")
            }
        }
    }

    @Test func malformedFilesAreReportedAndSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{ not json".utf8).write(to: folder.appendingPathComponent("broken.json"))
        try Data(#"{"name": "typo", "styles": {"user.lable": {"fg": "red"}}}"#.utf8)
            .write(to: folder.appendingPathComponent("typo.json"))
        try Data(##"{"name": "bad-colour", "styles": {"hint": {"fg": "#12345"}}}"##.utf8)
            .write(to: folder.appendingPathComponent("colour.json"))
        try Data(
            #"{"name": "mine", "styles": {"background": {"fg": "white", "bg": 17}, "hint": {"fg": "bright-black"}}}"#
                .utf8
        )
        .write(to: folder.appendingPathComponent("mine.json"))
        let catalog = ThemeCatalog(directories: [folder])
        #expect(catalog.problems.count == 3)
        #expect(catalog.problems.contains { $0.contains("broken.json") && $0.contains("not valid JSON") })
        #expect(catalog.problems.contains { $0.contains("unknown style \"user.lable\"") })
        #expect(catalog.problems.contains { $0.contains("\"#12345\" is not a #rrggbb colour") })
        let mine = try #require(catalog.theme(named: "mine"))
        #expect(mine[.hint] == Style(foreground: .brightBlack, background: .palette(17)))
        // A slot the file leaves out gets the background's colours and mono's attributes.
        #expect(mine[.userLabel] == Style(foreground: .white, background: .palette(17), attributes: .bold))
        #expect(catalog.names.first == "default-dark")
    }

    @Test func userThemesOverrideBuiltInsByName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(##"{"name": "light", "styles": {"background": {"bg": "#ffffff"}}}"##.utf8)
            .write(to: folder.appendingPathComponent("light.json"))
        let catalog = ThemeCatalog(directories: [Self.themesFolder, folder])
        #expect(catalog.theme(named: "light")?[.background].background == .rgb(255, 255, 255))
    }

    @Test func startingThemeFollowsNoColorThenFlagThenMemory() {
        let catalog = ThemeCatalog(directories: [Self.themesFolder])
        #expect(catalog.choose(requested: "light", noColor: true, remembered: nil).name == "mono")
        #expect(catalog.choose(requested: "light", noColor: false, remembered: "mono").name == "light")
        #expect(catalog.choose(requested: nil, noColor: false, remembered: "solarized-dark").name == "solarized-dark")
        let unknown = catalog.choose(requested: "neon", noColor: false, remembered: "light")
        #expect(unknown.name == nil && unknown.problem?.contains("no theme named 'neon'") == true)
    }

    @Test func builtInFolderIsFoundFromTheExecutable() {
        let executable = TestPaths.repositoryFile(".build/release/parley")
        let found = ThemeCatalog.builtInDirectory(executable: executable, environment: [:])
        #expect(found?.standardizedFileURL.path == Self.themesFolder.standardizedFileURL.path)
        let explicit = ThemeCatalog.builtInDirectory(executable: nil, environment: ["PARLEY_THEMES_DIR": "/opt/t"])
        #expect(explicit?.path == "/opt/t")
    }

    @Test func configKeepsOtherKeysAndRemembersTheTheme() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = AppConfig.defaultURL(configHome: folder)
        #expect(try AppConfig.load(from: url) == AppConfig())
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(#"{"model": "x.gguf", "theme": "mono"}"#.utf8).write(to: url)
        try AppConfig(theme: "light").save(to: url)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: String]
        #expect(object == ["model": "x.gguf", "theme": "light"])
        try Data("[1,".utf8).write(to: url)
        #expect(throws: ChatAppError.self) { try AppConfig.load(from: url) }
    }

    @Test func cyclingThemesRestylesTheScreen() throws {
        var state = Fixture.state(messages: Fixture.pairs(1))
        let compiled = ThemeCatalog()
        let dark = try #require(compiled.theme(named: "default-dark"))
        let mono = try #require(compiled.theme(named: "mono"))
        #expect(state.screen[0, 1].text == "Y" && state.screen[0, 1].style == dark[.userLabel])
        state.press(.function(9))
        #expect(state.theme.name == "mono")
        #expect(state.screen[0, 1].style == mono[.userLabel])
        #expect(state.screen.text.contains("theme: mono"))
    }
}
