import GGUF
import Testing

/// The name of a `GGUFError` case, so tests can assert the kind of error without spelling out
/// every associated value (such as a message fragment).
enum GGUFErrorKind: String, Sendable {
    case io, badMagic, unsupportedVersion, truncated, countTooLarge, unknownValueType, invalidValue
    case nestingTooDeep, duplicateKey, invalidMetadata, duplicateTensorName, unknownTensorType
    case invalidShape, misalignedTensorOffset, tensorOutOfBounds, splitModel
}

extension GGUFError {
    var kind: GGUFErrorKind {
        switch self {
        case .io: return .io
        case .badMagic: return .badMagic
        case .unsupportedVersion: return .unsupportedVersion
        case .truncated: return .truncated
        case .countTooLarge: return .countTooLarge
        case .unknownValueType: return .unknownValueType
        case .invalidValue: return .invalidValue
        case .nestingTooDeep: return .nestingTooDeep
        case .duplicateKey: return .duplicateKey
        case .invalidMetadata: return .invalidMetadata
        case .duplicateTensorName: return .duplicateTensorName
        case .unknownTensorType: return .unknownTensorType
        case .invalidShape: return .invalidShape
        case .misalignedTensorOffset: return .misalignedTensorOffset
        case .tensorOutOfBounds: return .tensorOutOfBounds
        case .splitModel: return .splitModel
        }
    }
}

/// Parses `bytes` in memory and returns the error; records an issue if the bytes parse.
func parseError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> GGUFError? {
    do {
        _ = try GGUFFile(bytes: bytes)
        Issue.record("the bytes parsed, but an error was expected", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Expects parsing `bytes` to throw an error of `kind` located at byte `offset`; returns it so
/// the caller can check associated values.
@discardableResult
func expectError(
    _ bytes: [UInt8], _ kind: GGUFErrorKind, at offset: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) -> GGUFError? {
    guard let error = parseError(bytes, sourceLocation: sourceLocation) else { return nil }
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
    return error
}

/// Parses `bytes`, recording an issue (with the error's message) if they do not parse.
func parse(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> GGUFFile? {
    do {
        return try GGUFFile(bytes: bytes)
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
