import Foundation

/// A saved conversation: the file format documented in `transcripts/README.md` and
/// `transcripts/schema.json`. Messages keep OpenAI's shape so other tools can read them.
public struct Transcript: Codable, Sendable, Equatable {
    /// The format version this build writes; files with a higher version are refused by name.
    /// Version 2 added an assistant turn's alternatives and token log probabilities; a version 1
    /// file reads as version 2 (it is a subset) and is written as version 2 when it is saved
    /// again, which happens only when the conversation continues.
    public static let currentVersion = 2
    /// The oldest format version this build reads.
    public static let oldestVersion = 1

    /// The version the file was read from (`currentVersion` for a new transcript); saving
    /// always writes `currentVersion`.
    public var version: Int
    public var id: String
    public var title: String
    public var created: Date
    public var updated: Date
    public var model: ModelReference?
    public var conversation: Conversation

    public init(
        id: String = UUID().uuidString.lowercased(), title: String = "New chat", created: Date = Date(),
        model: ModelReference? = nil, conversation: Conversation = Conversation()
    ) {
        version = Self.currentVersion
        self.id = id
        self.title = title
        self.created = created
        updated = created
        self.model = model
        self.conversation = conversation
    }

    /// Which model produced the answers, precise enough to tell two files with one name apart.
    public struct ModelReference: Codable, Sendable, Equatable {
        public var file: String
        public var size: Int
        /// SHA-256 of the GGUF header (everything before the tensor data), lowercase hex.
        public var sha256: String
        public var architecture: String

        public init(file: String, size: Int, sha256: String, architecture: String) {
            self.file = file
            self.size = size
            self.sha256 = sha256
            self.architecture = architecture
        }
    }

    /// A title from the first user message: its first line (after any attached files, or the
    /// first file's name when nothing was typed), cut to 60 characters.
    public static func title(for conversation: Conversation) -> String {
        guard let first = conversation.messages.first(where: { $0.role == .user }) else { return "New chat" }
        let (files, typed) = Attachment.split(first.content)
        let line = typed.split(whereSeparator: \.isNewline).first.map(String.init) ?? files.first ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "New chat" }
        return trimmed.count > 60 ? String(trimmed.prefix(59)) + "…" : trimmed
    }

    enum CodingKeys: String, CodingKey {
        case version, id, title, created, updated, model, parameters, messages
        case systemPrompt = "system_prompt"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        guard version >= Self.oldestVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: c,
                debugDescription:
                    "version \(version) is not a transcript format version (this Parley reads \(Self.oldestVersion) to \(Self.currentVersion))"
            )
        }
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        created = try c.decode(Date.self, forKey: .created)
        updated = try c.decode(Date.self, forKey: .updated)
        model = try c.decodeIfPresent(ModelReference.self, forKey: .model)
        conversation = Conversation(
            systemPrompt: try c.decodeIfPresent(String.self, forKey: .systemPrompt),
            messages: try c.decode([ChatMessage].self, forKey: .messages),
            parameters: try c.decodeIfPresent(SamplingParameters.self, forKey: .parameters) ?? .defaults)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.currentVersion, forKey: .version)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(created, forKey: .created)
        try c.encode(updated, forKey: .updated)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encode(conversation.systemPrompt, forKey: .systemPrompt)
        try c.encode(conversation.parameters, forKey: .parameters)
        try c.encode(conversation.messages, forKey: .messages)
    }
}

/// One row of the transcript browser.
public struct TranscriptSummary: Sendable, Equatable {
    public var url: URL
    public var title: String
    public var updated: Date
    public var messageCount: Int
    public var model: String?
}
