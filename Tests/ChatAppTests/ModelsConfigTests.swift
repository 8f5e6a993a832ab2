import Chat
import Foundation
import Testing

@testable import ChatApp

/// config.json's model keys: named endpoints, the default model and default parameters.
struct ModelsConfigTests {
    private func parse(_ json: String) throws(ChatAppError) -> ModelsConfig {
        try ModelsConfig.parse(Data(json.utf8), path: "/c/config.json")
    }

    @Test func readsEndpointsTheDefaultModelAndParameters() throws {
        let config = try parse(
            """
            {"theme": "light", "endpoints": [{"name": "gpu", "url": "http://gpu-box:8000/v1", "key_env": "GPU_KEY"},
             {"name": "home", "url": "http://127.0.0.1:8080/v1"}],
             "default_model": "gpu/meta-llama/Llama-3.3-70B-Instruct",
             "default_parameters": {"temperature": 0.2, "max_tokens": 64}}
            """)
        #expect(
            config.endpoints == [
                ModelsConfig.Endpoint(name: "gpu", url: "http://gpu-box:8000/v1", keyVariable: "GPU_KEY"),
                ModelsConfig.Endpoint(name: "home", url: "http://127.0.0.1:8080/v1")
            ])
        #expect(config.defaultRemoteModel?.endpoint.name == "gpu")
        #expect(config.defaultRemoteModel?.model == "meta-llama/Llama-3.3-70B-Instruct")
        #expect(config.defaultParameters?.temperature == 0.2 && config.defaultParameters?.maxTokens == 64)
        #expect(config.defaultParameters?.topK == SamplingParameters.defaults.topK)
        #expect(try parse(#"{"default_model": "SmolLM2.gguf"}"#).defaultRemoteModel == nil)
    }

    @Test(arguments: [
        (#"{"endpoints": {"name": "x"}}"#, "endpoints must be a list"),
        (
            #"{"endpoints": [{"name": "a/b", "url": "http://h/v1"}]}"#,
            "endpoints[0] needs a name (without '/') and a url"
        ),
        (
            #"{"endpoints": [{"name": "a", "url": "http://h/v1"}, {"name": "a", "url": "http://i/v1"}]}"#,
            "the name 'a' is used twice"
        ),
        (
            #"{"default_parameters": {"temperature": 7}}"#,
            "default_parameters: temperature must be between 0 and 2, got 7"
        ),
        (#"{"default_model": 3}"#, "default_model must be a string")
    ])
    func aBrokenKeyIsNamed(json: String, message: String) {
        do {
            _ = try parse(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.description.contains("/c/config.json"))
        }
    }
}
