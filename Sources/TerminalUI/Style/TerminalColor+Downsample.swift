/// Mapping colours onto terminals with fewer colours.
///
/// The palette below is xterm's; nearest matches use squared RGB distance, which is crude but
/// stable and good enough to keep a theme readable on an 8- or 16-colour terminal.
extension TerminalColor {
    /// The palette index to use on a terminal with `colorCount` colours, or `nil` for the default.
    ///
    /// `colorCount` is ncurses' `COLORS`: 8, 16, 88, 256 or more. Anything at or above 256 keeps
    /// palette entries and maps `rgb` into the 256-colour cube and grey ramp.
    public func paletteIndex(forColorCount colorCount: Int) -> Int? {
        switch self {
        case .default:
            return nil
        case .ansi(let index):
            let value = Int(index % 16)
            return colorCount >= 16 ? value : value % 8
        case .palette(let index):
            if colorCount >= 256 { return Int(index) }
            return Self.nearestBasic(Self.rgbOfPalette(Int(index)), count: colorCount >= 16 ? 16 : 8)
        case .rgb(let r, let g, let b):
            let rgb = (Int(r), Int(g), Int(b))
            if colorCount >= 256 { return Self.nearestPalette256(rgb) }
            return Self.nearestBasic(rgb, count: colorCount >= 16 ? 16 : 8)
        }
    }

    /// The same colour expressed for a terminal with `colorCount` colours.
    public func downsampled(toColorCount colorCount: Int) -> TerminalColor {
        guard let index = paletteIndex(forColorCount: colorCount) else { return .default }
        return colorCount >= 256 ? .palette(UInt8(index)) : .ansi(UInt8(index))
    }

    /// xterm's RGB values for the 16 ANSI colours.
    static let basicRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)
    ]

    private static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The RGB value of a 256-colour palette entry.
    static func rgbOfPalette(_ index: Int) -> (Int, Int, Int) {
        switch index {
        case ..<16:
            return basicRGB[max(0, index)]
        case 16..<232:
            let i = index - 16
            return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let level = 8 + 10 * (min(index, 255) - 232)
            return (level, level, level)
        }
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0
        let dg = a.1 - b.1
        let db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }

    private static func nearestBasic(_ rgb: (Int, Int, Int), count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for index in 0..<count {
            let d = distance(rgb, basicRGB[index])
            if d < bestDistance { (best, bestDistance) = (index, d) }
        }
        return best
    }

    /// Nearest entry among the 6x6x6 cube and the grey ramp (entries 16...255).
    private static func nearestPalette256(_ rgb: (Int, Int, Int)) -> Int {
        func nearestLevel(_ v: Int) -> Int {
            var best = 0
            for (i, level) in cubeLevels.enumerated() where abs(level - v) < abs(cubeLevels[best] - v) {
                best = i
            }
            return best
        }
        let cube = 16 + 36 * nearestLevel(rgb.0) + 6 * nearestLevel(rgb.1) + nearestLevel(rgb.2)
        let average = (rgb.0 + rgb.1 + rgb.2) / 3
        let grey = 232 + min(23, max(0, (average - 3) / 10))
        return distance(rgb, rgbOfPalette(grey)) < distance(rgb, rgbOfPalette(cube)) ? grey : cube
    }
}
