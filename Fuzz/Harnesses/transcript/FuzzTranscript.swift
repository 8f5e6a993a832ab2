import Chat
import Foundation

/// libFuzzer target: arbitrary bytes as a transcript file, through the public store API.
///
/// The bytes are written to a scratch folder and opened with `TranscriptStore.load`, exactly as
/// `parley --open`, `run --continue` and the Ctrl+O browser do. Refusing with a `ChatError` is
/// fine; a crash, an ASan report or another error type is a finding. A transcript that loads
/// must survive `save` and `load` again unchanged, or saving it would lose what it holds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let input = scratch.appendingPathComponent("input.json")
    let copy = scratch.appendingPathComponent("saved.json")
    guard (try? bytes.write(to: input)) != nil else { fatalError("cannot write \(input.path)") }
    let store = TranscriptStore(directory: scratch)
    let transcript: Transcript
    do { transcript = try store.load(input) } catch { return 0 }
    _ = Transcript.title(for: transcript.conversation)
    try? FileManager.default.removeItem(at: copy)
    do {
        try store.save(transcript, to: copy)
        let again = try store.load(copy)
        // Saving writes the current format version (a version 1 file is upgraded, by design).
        var expected = transcript
        expected.version = Transcript.currentVersion
        if again != expected { fatalError("a loaded transcript changed when saved and loaded again") }
    } catch {
        fatalError("a loaded transcript cannot be saved and loaded again: \(error)")
    }
    return 0
}

/// One folder per process (`fuzz.sh` points TMPDIR at a folder it removes afterwards).
let scratch: URL = {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("parley-fuzz-transcript-\(ProcessInfo.processInfo.processIdentifier)")
    do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
        fatalError("cannot create \(url.path): \(error)")
    }
    return url
}()
