import Chat
import ChatApp
import LocalChat

extension ChatSession {
    /// A loader for the real model described by `options`: the app gets it as a value and
    /// never links the engine itself.
    static func loader(options: SessionOptions) -> BackendLoader {
        {
            let session = try ChatSession(options: options)
            let summary = ChatApp.ModelSummary(
                fileName: session.info.fileName, contextLength: session.info.contextLength,
                reference: session.modelReference, isBaseModel: !session.info.hasChatTemplate,
                backend: session.backendReference)
            return (session, summary)
        }
    }
}
