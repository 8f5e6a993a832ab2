import Foundation

extension TranscriptStore {
    /// ISO 8601 dates, kept to whole seconds as Parley writes them. Foundation's parser also
    /// accepts a fraction (`09:02:1.3Z` in a hand-edited file), which saving would drop: the
    /// transcript fuzz target found such a file changing when saved and loaded again.
    static let wholeSecondDates = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let styles = [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)]
        for style in styles {
            if let date = try? style.parse(text) {
                return Date(timeIntervalSinceReferenceDate: date.timeIntervalSinceReferenceDate.rounded(.down))
            }
        }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
    }
}
