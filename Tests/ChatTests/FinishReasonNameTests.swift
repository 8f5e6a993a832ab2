import Foundation
import Testing

@testable import Chat

/// Every finish reason name round-trips; a name this version does not know stays `.other`.
struct FinishReasonNameTests {
    @Test func everyKnownNameRoundTripsAndUnknownNamesStayOther() throws {
        for reason in FinishReason.known {
            let encoded = try JSONEncoder().encode(reason)
            #expect(try JSONDecoder().decode(FinishReason.self, from: encoded) == reason)
            #expect(FinishReason(rawValue: reason.rawValue) == reason)
        }
        #expect(FinishReason(rawValue: "connection_lost") == .connectionLost)
        #expect(FinishReason(rawValue: "Stop") == .other("Stop"))
        #expect(try JSONDecoder().decode(FinishReason.self, from: Data("\"\"".utf8)) == .other(""))
    }
}
