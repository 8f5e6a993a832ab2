import Testing

@testable import RemoteChat

struct RemoteEndpointTests {
    @Test func hostAndURLsComeFromTheBaseURL() throws {
        let endpoint = try RemoteEndpoint(url: "http://gpu-box:8000/v1/", environment: [:])
        #expect(endpoint.host == "gpu-box:8000" && endpoint.baseURL == "http://gpu-box:8000/v1")
        #expect(endpoint.chatCompletionsURL == "http://gpu-box:8000/v1/chat/completions")
        #expect(try RemoteEndpoint(url: "https://api.example.com/v1", environment: [:]).host == "api.example.com")
    }

    @Test func theKeyComesFromTheNamedVariableOrTheDefaultsInOrder() throws {
        let env = ["PARLEY_API_KEY": "p", "OPENAI_API_KEY": "o", "MINE": "m"]
        #expect(try RemoteEndpoint(url: "http://h/v1", environment: env).apiKey == "p")
        #expect(try RemoteEndpoint(url: "http://h/v1", environment: ["OPENAI_API_KEY": "o"]).apiKey == "o")
        let named = try RemoteEndpoint(url: "http://h/v1", keyVariable: "MINE", environment: env)
        #expect(named.apiKey == "m" && named.keyVariable == "MINE")
        #expect(try RemoteEndpoint(url: "http://h/v1", environment: ["PARLEY_API_KEY": ""]).apiKey == nil)
    }

    @Test(arguments: ["gpu-box:8000", "ftp://h/v1", "http:///v1", "http://user:pw@h/v1", "http://h/v1?x=1", ""])
    func notAnEndpoint(url: String) {
        #expect(throws: RemoteError.invalidEndpoint(url)) { _ = try RemoteEndpoint(url: url, environment: [:]) }
    }
}
