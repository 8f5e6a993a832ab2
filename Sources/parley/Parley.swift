import ArgumentParser

/// The `parley` command: the chat by default, plus tools for inspecting and measuring models.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A local terminal chat that runs GGUF language models in-process on the CPU.",
        subcommands: [InspectCommand.self])
}
