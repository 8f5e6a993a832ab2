#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rotary position embedding: the pair layout of a model's RoPE.
public enum RopeStyle: Sendable, Equatable {
    /// ggml mode 0 (llama, GPT-J style): rotates adjacent pairs (x[2i], x[2i+1]).
    case normal
    /// ggml NeoX mode: rotates (x[i], x[i + d/2]), pairs split across the two halves.
    case neox
}

extension VectorMath {
    /// Fills `cos[i]`, `sin[i]` (i < rotaryDimensions/2) with the rotation angles of `position`,
    /// θ_i = position · base^(−2i/d), computed as ggml does (a running F32 product) so angles
    /// round like llama.cpp's.
    package static func ropeTable(
        position: Int, rotaryDimensions: Int, base: Float,
        cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>
    ) {
        let thetaScale = powf(base, -2 / Float(rotaryDimensions))
        var theta = Float(position)
        for i in 0..<(rotaryDimensions / 2) {
            cos[i] = cosf(theta)
            sin[i] = sinf(theta)
            theta *= thetaScale
        }
    }

    /// Rotates the first `rotaryDimensions` of each of `heads` vectors of `headDimension`
    /// (contiguous) in place, with the angle tables of one position (`ropeTable`).
    ///
    /// Each output is one fused multiply-add over one rounded product, x0·cos − x1·sin as
    /// fma(x0, cos, −(x1·sin)) and x0·sin + x1·cos as fma(x0, sin, x1·cos): what llama.cpp's CPU
    /// build computes (GCC contracts its C++ expression that way), checked against its tensors.
    package static func rope(
        _ x: UnsafeMutablePointer<Float>, heads: Int, headDimension: Int, rotaryDimensions: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>, style: RopeStyle
    ) {
        precondition(rotaryDimensions <= headDimension && rotaryDimensions % 2 == 0)
        let half = rotaryDimensions / 2
        for h in 0..<heads {
            let v = x + h * headDimension
            switch style {
            case .normal:
                for i in 0..<half {
                    let x0 = v[2 * i]
                    let x1 = v[2 * i + 1]
                    v[2 * i] = (-(x1 * sin[i])).addingProduct(x0, cos[i])
                    v[2 * i + 1] = (x1 * cos[i]).addingProduct(x0, sin[i])
                }
            case .neox:
                var i = 0
                while i + 8 <= half {
                    let x0 = load8(v + i)
                    let x1 = load8(v + i + half)
                    let c = load8(cos + i)
                    let s = load8(sin + i)
                    store8((-(x1 * s)).addingProduct(x0, c), v + i)
                    store8((x1 * c).addingProduct(x0, s), v + i + half)
                    i += 8
                }
                while i < half {
                    let x0 = v[i]
                    let x1 = v[i + half]
                    v[i] = (-(x1 * sin[i])).addingProduct(x0, cos[i])
                    v[i + half] = (x1 * cos[i]).addingProduct(x0, sin[i])
                    i += 1
                }
            }
        }
    }
}
