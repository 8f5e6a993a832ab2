import Crypto
import GGUF

/// Identifies a model file by the SHA-256 of its GGUF header (metadata and tensor table).
///
/// The header pins the architecture, tokenizer, template and every tensor's type, shape and
/// offset, so two files with the same header hash are the same model for a transcript's purposes;
/// hashing it touches a few megabytes instead of the whole weights.
public enum ModelFingerprint {
    public static func headerSHA256(_ file: GGUFFile) -> String {
        let header = UnsafeRawBufferPointer(rebasing: file.rawBytes[0..<min(file.dataOffset, file.fileSize)])
        return SHA256.hash(data: header).map { byte in
            byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }
}
