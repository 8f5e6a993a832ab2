import ArgumentParser
import Chat
import Foundation
import ModelHub

/// `parley models`: the installed models, with what each is.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models in the models folder (name, architecture, size, quant, context).")

    @Flag(help: "Print a JSON array instead of a table.") var json = false

    func run() throws {
        let folder = Paths.modelsDirectory()
        let models = ModelCatalog(folder: folder).installed()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(models), as: UTF8.self))
            return
        }
        guard !models.isEmpty else {
            print(
                "no models in \(folder.path): `parley pull owner/repo:QUANT` fetches one, Scripts/setup.sh installs the default"
            )
            return
        }
        var rows = [["NAME", "ARCH", "PARAMS", "QUANT", "SIZE", "CONTEXT", "TEMPLATE"]]
        for model in models {
            if let problem = model.problem {
                rows.append([model.name, "unreadable: \(problem)", "", "", ByteFormat.string(model.sizeBytes), "", ""])
                continue
            }
            rows.append([
                model.name, model.architecture ?? "-", model.parameterText, model.quant ?? "-",
                ByteFormat.string(model.sizeBytes), model.contextLength.map(String.init) ?? "-",
                model.hasChatTemplate ? "yes" : "no"
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }
            print(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        print("(\(folder.path))")
    }
}

/// `parley rm NAME`: deletes an installed model (every part of a split one).
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove an installed model (asks first unless --yes).")

    @Argument(help: "The model's name, as `parley models` shows it (or its file name).") var name: String
    @Flag(name: [.short, .long], help: "Do not ask for confirmation.") var yes = false

    func run() throws {
        let catalog = ModelCatalog(folder: Paths.modelsDirectory())
        guard let model = catalog.model(named: name) else {
            throw RuntimeError(ModelHubError.notInstalled(name).description)
        }
        if !yes {
            let parts = model.files.count > 1 ? " in \(model.files.count) files" : ""
            FileHandle.standardError.write(
                Data("remove \(model.name) (\(ByteFormat.string(model.sizeBytes))\(parts))? [y/N] ".utf8))
            let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else {
                print("kept \(model.name)")
                return
            }
        }
        do { try catalog.remove(model) } catch { throw RuntimeError(error.description) }
        print("removed \(model.name)")
    }
}
