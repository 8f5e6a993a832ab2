import TerminalUI

/// libFuzzer target: arbitrary bytes as what a terminal backend hands `InputDecoder`.
///
/// Bytes decode as UTF-8 into `.scalar` inputs (invalid sequences become U+FFFD, as the ncurses
/// backend's wide reads do), except five bytes that can never occur in UTF-8, which stand for the
/// backend's other inputs: 0xF8 `.idle` (end of a burst), 0xF9 a key the backend decoded (the next
/// byte picks which), 0xFA a resize event, 0xFB `flushPaste()` (paste timeout), 0xFC
/// `finishPaste(body:)` with the next byte's count of following bytes as the bulk-read body.
/// Checked: no crash; printable ASCII text typed alone, then idle, arrives as that text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var decoder = InputDecoder()
    var events: [InputEvent] = []
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        index += 1
        switch byte {
        case 0xF8: events += decoder.feed(.idle)
        case 0xF9:
            let pick = index < bytes.count ? Int(bytes[index]) : 0
            index = min(bytes.count, index + 1)
            events += decoder.feed(.key(backendKeys[pick % backendKeys.count]))
        case 0xFA: events += decoder.feed(.event(.resize(TerminalSize(width: 80, height: 24))))
        case 0xFB: events += decoder.flushPaste()
        case 0xFC:
            let count = index < bytes.count ? Int(bytes[index]) : 0
            index = min(bytes.count, index + 1)
            let end = min(bytes.count, index + count)
            events += decoder.finishPaste(body: String(decoding: bytes[index..<end], as: UTF8.self))
            index = end
        default:
            let length = utf8Length(lead: byte)
            let end = min(bytes.count, index - 1 + length)
            for scalar in String(decoding: bytes[(index - 1)..<end], as: UTF8.self).unicodeScalars {
                events += decoder.feed(.scalar(scalar))
            }
            index = end
        }
    }
    events += decoder.feed(.idle)
    events += decoder.flushPaste()
    checkPlainText(bytes)
    _ = events
    return 0
}

/// Printable ASCII without ESC, typed in one burst, must come back as exactly that text.
func checkPlainText(_ bytes: UnsafeBufferPointer<UInt8>) {
    let printable = bytes.filter { (0x20...0x7E).contains($0) }
    guard !printable.isEmpty else { return }
    var decoder = InputDecoder()
    var events: [InputEvent] = []
    for byte in printable { events += decoder.feed(.scalar(Unicode.Scalar(byte))) }
    events += decoder.feed(.idle)
    var text = ""
    for event in events {
        guard case .key(let key) = event, let character = key.typedCharacter else {
            fatalError("typing printable text produced \(event)")
        }
        text.append(character)
    }
    if text.utf8.elementsEqual(printable) == false {
        fatalError("typed \(printable.count) bytes, got \(text.debugDescription)")
    }
}

/// The length of the UTF-8 sequence a lead byte announces (1 for anything else).
func utf8Length(lead: UInt8) -> Int {
    switch lead {
    case 0xC0...0xDF: return 2
    case 0xE0...0xEF: return 3
    case 0xF0...0xF7: return 4
    default: return 1
    }
}

/// Keys a backend decodes itself from terminfo sequences.
let backendKeys: [KeyEvent] = [
    .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .backspace, .delete, .insert, .enter, .tab,
    .backTab, .function(1), .function(12), KeyEvent(.up, modifiers: .shift), KeyEvent(.left, modifiers: .control)
]
