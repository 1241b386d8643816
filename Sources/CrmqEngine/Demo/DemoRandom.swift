/// The demo generator's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Written out rather than taken from the standard library because the system generator cannot be
/// seeded, and the demo data must come out byte-for-byte the same for the same options on every run.
/// Everything here uses integer arithmetic and IEEE + - * / only, so the results do not depend on the
/// platform's libm; and the library then needs no libm at all (Double.rounded() and squareRoot() call
/// it, and a program linking CrmqEngine without Foundation fails to resolve them).
struct DemoRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// One independent stream per generation phase: a change to how one entity is generated then
    /// leaves the data of every other entity as it was.
    init(seed: UInt64, stream: UInt64) {
        var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&x)
        s1 = splitMix(&x)
        s2 = splitMix(&x)
        s3 = splitMix(&x)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = DemoRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = DemoRandom.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0..<n (Lemire's multiply-shift; the bias is far below anything visible).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "empty range")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in lo...hi.
    @inline(__always)
    mutating func between(_ lo: Int, _ hi: Int) -> Int { hi <= lo ? lo : lo + below(hi - lo + 1) }

    @inline(__always)
    mutating func between(_ lo: Int64, _ hi: Int64) -> Int64 { hi <= lo ? lo : lo + Int64(below(Int(hi - lo + 1))) }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Approximately standard normal: the Irwin–Hall sum of twelve uniforms. Its tails stop at ±6,
    /// which suits data that must stay plausible, and it needs no logarithm.
    mutating func normal() -> Double {
        var s = 0.0
        for _ in 0..<12 { s += unit() }
        return s - 6
    }

    mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * demoExp(sigma * normal())
    }

    /// Skewed towards 0 (a density falling off like a square law): "more recent is more common".
    mutating func skewedUnit() -> Double {
        let u = unit()
        return u * u
    }

    /// Between the two, leaning to the middle: two uniforms averaged.
    mutating func triangular(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * (unit() + unit()) / 2
    }
}

/// Picks an index with probability proportional to its weight: the cumulative sums, searched binarily.
struct DemoWeights: Sendable {
    private(set) var cumulative: [Double]

    init(_ weights: [Double]) {
        var sum = 0.0
        cumulative = weights.map { w in
            sum += max(0, w)
            return sum
        }
        precondition(sum > 0, "at least one positive weight")
    }

    init(_ weights: [Int]) { self.init(weights.map(Double.init)) }

    /// Zipf-like weights for lists ordered from most to least common (names): item i weighs 1/(i+k).
    init(zipfCount n: Int, offset k: Double = 6) {
        self.init((0..<n).map { 1 / (Double($0) + k) })
    }

    var count: Int { cumulative.count }

    func pick(_ r: inout DemoRandom) -> Int { pick(r.unit(), among: cumulative.count) }

    /// Picks among the first `n` entries only (e.g. the accounts that already existed at some date).
    func pick(_ r: inout DemoRandom, among n: Int) -> Int { pick(r.unit(), among: n) }

    private func pick(_ u: Double, among n: Int) -> Int {
        precondition(n > 0 && n <= cumulative.count)
        let target = u * cumulative[n - 1]
        var lo = 0, hi = n - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// e^x from IEEE arithmetic only (range reduction by ln 2 and a Taylor polynomial), so that log-normal
/// amounts are identical on every platform; accurate to about 1e-15 relative, far beyond what money needs.
func demoExp(_ x: Double) -> Double {
    if x > 700 { return .greatestFiniteMagnitude }
    if x < -700 { return 0 }
    let ln2 = 0.693_147_180_559_945_3
    let k = Double(demoRound(x / ln2))
    let r = x - k * ln2
    var term = 1.0, sum = 1.0
    for i in 1...14 {
        term *= r / Double(i)
        sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
}

/// Rounds half away from zero, without libm's round().
func demoRound(_ x: Double) -> Int64 {
    x >= 0 ? Int64(x + 0.5) : -Int64(-x + 0.5)
}

/// log2 of a positive number, exact at powers of two and linear in between: enough to weigh accounts by
/// their size without libm.
func demoLog2(_ x: Double) -> Double {
    guard x > 0 else { return 0 }
    return Double(x.exponent) + (x.significand - 1)
}

/// x^p for x > 0, built from the two functions above.
func demoPow(_ x: Double, _ p: Double) -> Double {
    guard x > 0 else { return 0 }
    return demoExp(p * demoLog2(x) * 0.693_147_180_559_945_3)
}
