import Crypto

/// Hex digests for comparing bytes with what Python's `hashlib` recorded.
public enum Digests {
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        sha256Hex(Array(bytes))
    }

    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
