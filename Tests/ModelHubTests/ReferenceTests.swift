import ModelHub
import Testing

/// What `REF` means and which files of a listing it picks (pure: no server).
struct ReferenceTests {
    @Test func referencesParseAsLlamaCppsHfFlagTakesThem() throws {
        #expect(
            try ModelReference(parsing: "bartowski/SmolLM2-135M-Instruct-GGUF:Q4_K_M")
                == ModelReference(
                    owner: "bartowski", repository: "SmolLM2-135M-Instruct-GGUF", selector: .quant("Q4_K_M")))
        #expect(try ModelReference(parsing: "Qwen/Qwen3-0.6B-GGUF").selector == .automatic)
        #expect(try ModelReference(parsing: "a/b/sub/dir/model-q8_0.gguf").selector == .file("sub/dir/model-q8_0.gguf"))
        #expect(try ModelReference(parsing: "a/b:q4_k_m").description == "a/b:q4_k_m")
    }

    @Test(arguments: [
        "", "justone", "a/b/../c.gguf", "a/b/c.bin", "../b", "a/b:", "a/b:Q4 K", "-a/b", "a/b/c.gguf:Q4_K_M",
        "a/b/%2e%2e/c.gguf", "a/b/x?y.gguf", "a//c.gguf", "a/b/./c.gguf", "https://x/y"
    ])
    func badReferencesAreRefused(_ text: String) {
        #expect(throws: ModelHubError.self) { try ModelReference(parsing: text) }
    }

    static func file(_ path: String) -> RepositoryFile { RepositoryFile(path: path, size: 1, sha256: nil) }

    @Test func aQuantIsMatchedAsAWholeWord() throws {
        let files = [
            "m-Q4_K_S.gguf", "m-Q4_K_M.gguf", "m-IQ4_XS.gguf", "m-Q4_K.gguf", "mmproj-m-Q4_K_M.gguf", "m-f16.gguf"
        ].map(Self.file)
        func pick(_ selector: ModelReference.Selector) throws -> [String] {
            try ModelSelection.choose(selector, from: files, repo: "o/r").map(\.path)
        }
        #expect(try pick(.quant("Q4_K_M")) == ["m-Q4_K_M.gguf"])
        #expect(try pick(.quant("q4_k")) == ["m-Q4_K.gguf"])
        #expect(try pick(.quant("IQ4_XS")) == ["m-IQ4_XS.gguf"])
        #expect(try pick(.quant("F16")) == ["m-f16.gguf"])
        #expect(try pick(.automatic) == ["m-Q4_K_M.gguf"])
        #expect(throws: ModelHubError.self) { try pick(.quant("Q4")) } // `_` after the word: no match
        #expect(throws: ModelHubError.self) { try pick(.quant("Q8_0")) }
    }

    @Test func splitPartsAreChosenTogetherAndMustAllBeListed() throws {
        let parts = (1...3).map { Self.file("Q8_0/m-Q8_0-0000\($0)-of-00003.gguf") }
        #expect(try ModelSelection.choose(.automatic, from: parts.reversed(), repo: "o/r") == parts)
        #expect(try ModelSelection.choose(.file(parts[1].path), from: parts, repo: "o/r") == parts)
        #expect(throws: ModelHubError.self) {
            try ModelSelection.choose(.automatic, from: [parts[0], parts[2]], repo: "o/r")
        }
    }

    @Test func withoutQ4KMAndSeveralFilesTheChoiceIsLeftToThePerson() {
        #expect {
            try ModelSelection.choose(
                .automatic, from: [Self.file("a-Q8_0.gguf"), Self.file("a-Q2_K.gguf")], repo: "o/r")
        } throws: { error in
            "\(error)".contains("a-Q2_K.gguf, a-Q8_0.gguf") && "\(error)".contains(":QUANT")
        }
    }

    @Test func progressIsShownAsABarOnATerminalAndAsALineElsewhere() {
        let progress = PullProgress(
            file: "model-Q4_K_M.gguf", fileNumber: 1, fileCount: 1, received: 12 << 20,
            total: 48 << 20, resumedFrom: 4 << 20, elapsed: 2)
        #expect(
            ProgressFormat.bar(progress, width: 100)
                == "model-Q4_K_M.gguf [#####>              ]  25% 12.0 MiB / 48.0 MiB  4.0 MiB/s  ETA 0:09")
        #expect(ProgressFormat.bar(progress, width: 60).count == 60)
        #expect(
            ProgressFormat.line(progress) == "pull: model-Q4_K_M.gguf 12.0 MiB of 48.0 MiB (25%), 4.0 MiB/s, ETA 0:09")
        #expect(ByteFormat.string(5 << 30) == "5.00 GiB" && ByteFormat.string(999) == "999 B")
    }
}
