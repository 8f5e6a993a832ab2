import Testing

@testable import RemoteChat

/// `/models` bodies as servers of each kind write them, and as a hostile one might.
struct ModelListTests {
    private func models(_ body: String) throws -> [RemoteModel] {
        try ModelList.models(in: body, host: "h")
    }

    @Test func openAIListsIdsOnly() throws {
        let body = #"{"object":"list","data":[{"id":"gpt-x","object":"model","created":1,"owned_by":"o"}]}"#
        #expect(try models(body) == [RemoteModel(id: "gpt-x")])
    }

    @Test func vLLMAndLlamaServerSayTheirContext() throws {
        let body = """
            {"object":"list","data":[
              {"id":"a","object":"model","max_model_len":32000},
              {"id":"b","object":"model","meta":{"n_ctx":4096,"n_ctx_train":131072}}]}
            """
        #expect(
            try models(body) == [RemoteModel(id: "a", contextLength: 32000), RemoteModel(id: "b", contextLength: 4096)])
    }

    @Test(arguments: ["0", "-5", "true", "\"4096\"", "1e300", "4096.5", "null", "[4096]"])
    func aContextThatIsNotAWholePositiveCountIsIgnored(_ value: String) throws {
        let body = #"{"data":[{"id":"a","max_model_len":\#(value)}]}"#
        #expect(try models(body) == [RemoteModel(id: "a")])
    }

    @Test func entriesWithoutAnIdAreSkippedAndANonListIsAnError() throws {
        #expect(try models(#"{"data":[{"object":"model"},{"id":"b"}]}"#) == [RemoteModel(id: "b")])
        #expect(throws: RemoteError.noModels(host: "h", reason: "/models did not answer an OpenAI model list")) {
            _ = try models(#"{"models":[]}"#)
        }
    }
}
