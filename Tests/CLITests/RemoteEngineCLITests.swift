import Foundation
import TestSupport
import Testing

/// `parley run --endpoint` as a person types it, against servers the tests start on loopback:
/// the fault-injecting `Scripts/fault_server.py` for every fault of issue #14 (message, exit
/// code, and the transcript on disk keeping all that came before), and a real `parley serve`
/// for the answer itself.
@Suite(.requires([ParleyBinary.requirement, FaultServer.requirement]), .serialized)
struct RemoteEngineCLITests {
    let server: FaultServer
    let home: URL
    /// A transcript with one finished remote turn, written by the binary itself.
    let saved: URL

    init() throws {
        server = try FaultServer()
        home = ParleyBinary.temporaryDirectory()
        saved = home.appendingPathComponent("chat.json")
        let first = try ParleyBinary.run(
            [
                "run", "--endpoint", server.baseURL("ok"), "-p", "first question",
                "--save", saved.path
            ], home: home)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "Hello world\n")
    }

    private func continueWith(_ fault: String, extra: [String] = [], endpoint: String? = nil) throws
        -> (ParleyBinary.Result, before: Data, after: Data)
    {
        let before = try Data(contentsOf: saved)
        let result = try ParleyBinary.run(
            [
                "run", "--endpoint", endpoint ?? server.baseURL(fault), "--model", "fault-model", "--continue",
                saved.path,
                "-p", "second question", "--stall-timeout", "1"
            ] + extra, home: home)
        return (result, before, try Data(contentsOf: saved))
    }

    private func messages(_ data: Data) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["messages"] as? [[String: Any]])
    }

    @Test func theTranscriptRecordsTheRemoteBackendAndNeverTheKey() throws {
        let keyed = home.appendingPathComponent("keyed.json")
        var result = try ParleyBinary.run(
            [
                "run", "--endpoint", server.baseURL("ok"), "-p", "hi", "--save", keyed.path,
                "--api-key-env", "NO_SUCH_VARIABLE_14"
            ], home: home)
        #expect(result.status != 0 && result.stderr.contains("$NO_SUCH_VARIABLE_14 (from --api-key-env) is not set"))
        setenv("PARLEY_TEST_KEY_14", "sk-never-saved", 1)
        result = try ParleyBinary.run(
            [
                "run", "--endpoint", server.baseURL("ok"), "-p", "hi", "--save", keyed.path,
                "--api-key-env", "PARLEY_TEST_KEY_14"
            ], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: keyed, encoding: .utf8)
        #expect(
            !text.contains("sk-never-saved") && !result.stdout.contains("sk-never")
                && !result.stderr.contains("sk-never"))
        let answer = try #require(try messages(Data(text.utf8)).last)
        let backend = try #require(answer["backend"] as? [String: String])
        #expect(backend == ["type": "remote", "host": "127.0.0.1:\(server.port)", "model": "fault-model"])
    }

    @Test(arguments: [
        ("401", "refused the API key (401)"),
        ("404", "has no model 'fault-model'"),
        ("429", "rate limited by 127.0.0.1:PORT (429): Rate limit reached; retry after 7 s"),
        ("500", "failed with server error 500"),
        ("cutearly", "connection to 127.0.0.1:PORT lost mid-answer")
    ])
    func aFaultBeforeAnyTextExits1AndLeavesTheTranscriptAsItWas(fault: String, message: String) throws {
        let (result, before, after) = try continueWith(fault)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(message.replacingOccurrences(of: "PORT", with: String(server.port))),
            "\(result.stderr)")
        #expect(after == before)
    }

    @Test func refusedAndTLSFailuresExit1AndLeaveTheTranscript() throws {
        let port = try FreePort.find()
        var (result, before, after) = try continueWith("", endpoint: "http://127.0.0.1:\(port)/v1")
        #expect(
            result.status == 1 && result.stderr.contains("connection refused by 127.0.0.1:\(port)"), "\(result.stderr)")
        #expect(after == before)
        (result, before, after) = try continueWith("", endpoint: "https://127.0.0.1:\(server.port)/ok/v1")
        #expect(
            result.status == 1 && result.stderr.contains("TLS failure talking to 127.0.0.1:\(server.port)"),
            "\(result.stderr)")
        #expect(after == before)
    }

    @Test(arguments: [
        ("cut", "connection_lost", "connection to 127.0.0.1:PORT lost mid-answer"),
        ("stall", "connection_lost", "127.0.0.1:PORT sent nothing for 1 s; the request was closed"),
        ("malformed", "error", "malformed stream from the server: a chunk is not Chat Completion JSON")
    ])
    func aFaultMidAnswerSavesTheTextReceivedAfterEverythingBefore(fault: String, reason: String, message: String) throws
    {
        let (result, before, after) = try continueWith(fault)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(message.replacingOccurrences(of: "PORT", with: String(server.port))),
            "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Hello"))
        let old = try messages(before)
        let new = try messages(after)
        #expect(new.count == old.count + 2)
        for (a, b) in zip(old, new) {
            #expect(NSDictionary(dictionary: a).isEqual(to: b))
        }
        #expect(new[old.count]["content"] as? String == "second question")
        #expect(new[old.count + 1]["content"] as? String == "Hello")
        #expect(new[old.count + 1]["finish_reason"] as? String == reason)
    }
}
