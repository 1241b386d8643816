/// The fuzzer's bytes read as a sequence of choices. Once they run out every choice is the first
/// option, so any input, even an empty one, builds a finite statement.
struct FuzzBytes {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isExhausted: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A number in 0..<n (n at most 256, one byte each).
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(byte()) % n }

    /// True about once in `n` choices.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 && !isExhausted }

    mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    /// A 64-bit number from the next eight bytes.
    mutating func u64() -> UInt64 { (0..<8).reduce(0) { v, _ in v << 8 | UInt64(byte()) } }
}
