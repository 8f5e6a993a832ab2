/// One model in the models folder, as `parley models` and the app's model picker show it.
public struct InstalledModel: Sendable, Equatable, Codable {
    /// The file name without `.gguf` (without `-00001-of-0000N.gguf` for a split model): what
    /// `parley rm NAME` and the picker take.
    public var name: String
    /// The file to open (the first part of a split model).
    public var path: String
    /// Every file of the model (one, or every part).
    public var files: [String]
    /// Bytes on disk, all parts together.
    public var sizeBytes: Int64
    /// `general.architecture`, e.g. `llama`.
    public var architecture: String?
    /// Elements in all tensors.
    public var parameters: Int?
    /// `Q4_K_M`, `Q8_0`, ... from `general.file_type`, else the commonest weight type.
    public var quant: String?
    /// The context length it was trained for.
    public var contextLength: Int?
    /// Whether the file carries a chat template (else Parley falls back to ChatML).
    public var hasChatTemplate: Bool
    /// Why the file could not be read, when it could not (it is still listed, so it can be removed).
    public var problem: String?

    enum CodingKeys: String, CodingKey {
        case name, path, files, architecture, parameters, quant, problem
        case sizeBytes = "size_bytes"
        case contextLength = "context_length"
        case hasChatTemplate = "has_chat_template"
    }

    public init(
        name: String, path: String, files: [String], sizeBytes: Int64, architecture: String? = nil,
        parameters: Int? = nil, quant: String? = nil, contextLength: Int? = nil, hasChatTemplate: Bool = false,
        problem: String? = nil
    ) {
        self.name = name
        self.path = path
        self.files = files
        self.sizeBytes = sizeBytes
        self.architecture = architecture
        self.parameters = parameters
        self.quant = quant
        self.contextLength = contextLength
        self.hasChatTemplate = hasChatTemplate
        self.problem = problem
    }

    /// `135M`, `1.7B`.
    public var parameterText: String {
        guard let parameters else { return "-" }
        let value = Double(parameters)
        if value >= 1e9 { return ByteFormat.format(value / 1e9, decimals: 1) + "B" }
        if value >= 1e6 { return "\(Int((value / 1e6).rounded()))M" }
        if value >= 1e3 { return "\(Int((value / 1e3).rounded()))K" }
        return "\(parameters)"
    }
}

/// llama.cpp's `llama_ftype` numbers (`general.file_type`) and their names.
enum FileTypeName {
    static func name(_ fileType: Int) -> String? {
        let names: [Int: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
            12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
            19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
            26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
            36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE"
        ]
        return names[fileType]
    }
}
