import Chat
import TerminalUI

/// The conversation pane's blocks for one state and width, read lazily through the wrap cache.
///
/// Blocks are the system prompt (if set), each message, then the answer being written or the
/// failure of the last one. Every block after the first starts with one blank line.
struct PaneContent {
    let conversation: Conversation
    let streaming: BlockSource?
    let failure: String?
    let cache: WrapCache
    let width: Int
    /// Answers show their tokens coloured by probability.
    var probabilityView = false
    /// The first message the last prompt held, when older ones were left out.
    var contextStart: Int?

    /// The pane's content for `state` at `width`.
    init(_ state: AppState, width: Int) {
        let streaming = state.answer.map { answer -> BlockSource in
            let count = max(1, answer.parameters.n)
            return .streaming(
                text: answer.text(ofChoice: answer.viewing), waiting: state.activity == .thinking,
                marker: ChatUI.alternativeMarker(chosen: answer.viewing, count: count),
                tokens: state.probabilityView ? answer.streamedLogprobs[answer.viewing] : nil)
        }
        self.init(
            conversation: state.conversation, streaming: streaming, failure: state.failure,
            cache: state.wrapCache.value, width: width, probabilityView: state.probabilityView,
            contextStart: state.contextStart)
    }

    init(
        conversation: Conversation, streaming: BlockSource?, failure: String?, cache: WrapCache, width: Int,
        probabilityView: Bool = false, contextStart: Int? = nil
    ) {
        self.conversation = conversation
        self.streaming = streaming
        self.failure = failure
        self.cache = cache
        self.width = width
        self.probabilityView = probabilityView
        self.contextStart = contextStart
    }

    var hasSystem: Bool { !(conversation.systemPrompt ?? "").isEmpty }

    var blockCount: Int {
        (hasSystem ? 1 : 0) + conversation.messages.count + (streaming == nil ? 0 : 1) + (failure == nil ? 0 : 1)
    }

    func key(at index: Int) -> BlockKey {
        var i = index
        if hasSystem {
            if i == 0 { return .system }
            i -= 1
        }
        if i < conversation.messages.count { return .message(i) }
        i -= conversation.messages.count
        if streaming != nil {
            if i == 0 { return .streaming }
        }
        return .failure
    }

    func source(for key: BlockKey) -> BlockSource {
        switch key {
        case .system:
            return .system(conversation.systemPrompt ?? "")
        case .message(let index):
            let message = conversation.messages[index]
            let answers = message.answers
            return .message(
                role: message.role, content: message.content, finishReason: ChatUI.shownFinishReason(message.record),
                error: message.record?.error,
                marker: message.role == .assistant
                    ? ChatUI.alternativeMarker(chosen: message.chosen, count: answers.count) : nil,
                tokens: probabilityView && message.role == .assistant ? message.chosenAnswer.logprobs : nil,
                contextRule: index > 0 && index == contextStart)
        case .streaming:
            return streaming ?? .streaming(text: "", waiting: true, marker: nil)
        case .failure:
            return .failure(failure ?? "")
        }
    }

    /// The lines of block `index`, without the blank separator.
    func ownLines(ofBlock index: Int) -> [PaneLine] {
        let key = key(at: index)
        return cache.lines(for: key, source: source(for: key), width: width)
    }

    /// Display lines block `index` takes, its separator included.
    func lineCount(ofBlock index: Int) -> Int {
        ownLines(ofBlock: index).count + (index > 0 ? 1 : 0)
    }
}
