import Foundation

/// The few bands the probability view colours answer tokens by. Each has its own theme slot,
/// so every theme (and mono, with underline and dim) keeps them apart.
public enum ProbabilityBand: Int, CaseIterable, Hashable, Sendable {
    /// 90 % or more: the model was sure.
    case high
    /// 50–90 %.
    case medium
    /// 10–50 %.
    case low
    /// Under 10 %: a surprising token, where an answer often goes wrong.
    case veryLow

    public init(logprob: Double) {
        let probability = exp(logprob)
        switch probability {
        case 0.9...: self = .high
        case 0.5..<0.9: self = .medium
        case 0.1..<0.5: self = .low
        default: self = .veryLow
        }
    }

    public var slot: ThemeSlot {
        switch self {
        case .high: return .probabilityHigh
        case .medium: return .probabilityMedium
        case .low: return .probabilityLow
        case .veryLow: return .probabilityVeryLow
        }
    }

    /// The legend's text for the band.
    public var label: String {
        switch self {
        case .high: return "≥90%"
        case .medium: return "50–90%"
        case .low: return "10–50%"
        case .veryLow: return "<10%"
        }
    }
}
