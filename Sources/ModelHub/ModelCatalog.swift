import Foundation
import GGUF

/// The models installed in a models folder: what `parley models` lists, `parley rm` removes and
/// the app's picker offers. A split model is one entry (its first part), and a file that does
/// not parse is still listed, with the reason, so it can be seen and removed.
public struct ModelCatalog: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// Every model, by name. Reads only each file's header (the weights stay unmapped pages).
    public func installed() -> [InstalledModel] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.lowercased().hasSuffix(".gguf") && !$0.hasPrefix(".") }
            .filter { GGUFSplitName(fileName: $0).map { $0.part == 1 } ?? true }
            .sorted()
            .map(describe)
    }

    /// The model called `name` (its name, or its file name).
    public func model(named name: String) -> InstalledModel? {
        installed().first { $0.name == name || ($0.path as NSString).lastPathComponent == name }
    }

    /// Deletes every file of the model, later parts first (so a half-removed split model is
    /// never left looking whole).
    public func remove(_ model: InstalledModel) throws(ModelHubError) {
        for file in model.files.reversed() where FileManager.default.fileExists(atPath: file) {
            do { try FileManager.default.removeItem(atPath: file) } catch {
                throw .io(path: file, reason: "cannot remove: \(error.localizedDescription)")
            }
        }
    }

    private func describe(_ fileName: String) -> InstalledModel {
        let path = folder.appendingPathComponent(fileName).path
        let split = GGUFSplitName(fileName: fileName)
        let name = split?.stem ?? String(fileName.dropLast(5))
        let expectedFiles =
            split.map { s in (1...s.count).map { folder.appendingPathComponent(s.fileName(ofPart: $0)).path } } ?? [
                path
            ]
        let size = expectedFiles.reduce(Int64(0)) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0)
        }
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch {
            let present = expectedFiles.filter { FileManager.default.fileExists(atPath: $0) }
            return InstalledModel(name: name, path: path, files: present, sizeBytes: size, problem: error.description)
        }
        let meta = file.metadata
        let architecture = file.architecture
        return InstalledModel(
            name: name, path: path, files: file.partPaths, sizeBytes: Int64(file.fileSize), architecture: architecture,
            parameters: file.tensors.reduce(0) { $0 + $1.elementCount },
            quant: meta.int("general.file_type").flatMap(FileTypeName.name) ?? Self.commonestWeightType(file),
            contextLength: architecture.flatMap { meta.int("\($0).context_length") },
            hasChatTemplate: meta.string("tokenizer.chat_template") != nil)
    }

    /// The type most of the 2-D weights use, when the file does not say its quant.
    private static func commonestWeightType(_ file: GGUFFile) -> String? {
        let counts = file.tensors.filter { $0.dimensions.count >= 2 }.reduce(into: [String: Int]()) {
            $0[$1.type.description, default: 0] += 1
        }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
