#if !_endian(little)
#error("snapshot sections are read into arrays without byte swapping: a big-endian host needs a swapping pass")
#endif

/// How an integer array is stored in a snapshot: frame of reference at a byte width. Each value is
/// stored as `value - base` in the fewest of 1, 2 or 4 bytes that hold the array's range, the
/// all-ones pattern standing for null; an array whose range needs more is stored as plain 8-byte
/// integers with `Int64.min` for null. Enum codes take one byte, dates two, ids and times four:
/// the file is about a third of the columns' size in memory, and loading is one read per array
/// and one widening loop, not a per-record decode.
struct IntegerLayout: Equatable {
    var width: Int
    var base: Int64

    /// The narrowest layout for `values`, ignoring those equal to `null`.
    static func choose<T: FixedWidthInteger & SignedInteger>(_ values: UnsafeBufferPointer<T>, null: T) -> IntegerLayout {
        var lo = Int64.max, hi = Int64.min
        for v in values where v != null {
            let x = Int64(v)
            lo = min(lo, x)
            hi = max(hi, x)
        }
        if lo > hi { return IntegerLayout(width: 1, base: 0) }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        if overflow { return IntegerLayout(width: 8, base: 0) }
        // The top value of each width is the null marker.
        for width in [1, 2, 4] where UInt64(span) < (UInt64(1) << UInt64(8 * width)) - 1 {
            return IntegerLayout(width: width, base: lo)
        }
        return IntegerLayout(width: 8, base: 0)
    }

    func byteCount(_ count: Int) -> Int { count * width }

    /// Writes `values` into `out` (exactly `byteCount(values.count)` bytes).
    func pack<T: FixedWidthInteger & SignedInteger>(_ values: UnsafeBufferPointer<T>, null: T,
                                                    into out: UnsafeMutableRawBufferPointer) {
        let base = self.base
        switch width {
        case 1:
            for (i, v) in values.enumerated() {
                out.storeBytes(of: v == null ? UInt8.max : UInt8(truncatingIfNeeded: Int64(v) &- base), toByteOffset: i, as: UInt8.self)
            }
        case 2:
            for (i, v) in values.enumerated() {
                out.storeBytes(of: (v == null ? UInt16.max : UInt16(truncatingIfNeeded: Int64(v) &- base)).littleEndian,
                               toByteOffset: 2 * i, as: UInt16.self)
            }
        case 4:
            for (i, v) in values.enumerated() {
                out.storeBytes(of: (v == null ? UInt32.max : UInt32(truncatingIfNeeded: Int64(v) &- base)).littleEndian,
                               toByteOffset: 4 * i, as: UInt32.self)
            }
        default:
            for (i, v) in values.enumerated() {
                out.storeBytes(of: (v == null ? Int64.min : Int64(v)).littleEndian, toByteOffset: 8 * i, as: Int64.self)
            }
        }
    }

    /// Reads `out.count` values from `bytes` (exactly `byteCount(out.count)` of them), null marks
    /// becoming `null`. Returns the smallest and largest other value, or nil when all are null, for
    /// the caller to check against what the field allows. The arithmetic wraps: a damaged base
    /// gives wrong values that the range check refuses, never a trap.
    func unpack<T: FixedWidthInteger & SignedInteger>(_ bytes: UnsafeRawBufferPointer, null: T,
                                                      into out: UnsafeMutableBufferPointer<T>) -> (min: Int64, max: Int64)? {
        switch width {
        case 1: return widen(bytes, as: UInt8.self, null: null, into: out)
        case 2: return widen(bytes, as: UInt16.self, null: null, into: out)
        case 4: return widen(bytes, as: UInt32.self, null: null, into: out)
        default:
            var lo = Int64.max, hi = Int64.min
            for i in 0..<out.count {
                let v = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
                if v == .min {
                    out[i] = null
                } else {
                    out[i] = T(truncatingIfNeeded: v)
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
            }
            return lo > hi ? nil : (lo, hi)
        }
    }

    /// The narrow case: written as two branch-free loops so the compiler vectorizes them, since
    /// this is most of the time a load spends outside the kernel.
    private func widen<U: FixedWidthInteger & UnsignedInteger, T: FixedWidthInteger & SignedInteger>(
        _ bytes: UnsafeRawBufferPointer, as: U.Type, null: T, into out: UnsafeMutableBufferPointer<T>
    ) -> (min: Int64, max: Int64)? {
        let n = out.count
        // The range of the stored values, the null mark excluded.
        var lo = U.max, hi = U.min
        bytes.withMemoryRebound(to: U.self) { stored in
            for i in 0..<n {
                let u = U(littleEndian: stored[i])
                let isNull = u == U.max
                lo = min(lo, isNull ? U.max : u)
                hi = max(hi, isNull ? U.min : u)
            }
            let base = self.base
            for i in 0..<n {
                let u = U(littleEndian: stored[i])
                let v = T(truncatingIfNeeded: base &+ Int64(u))
                out[i] = u == U.max ? null : v
            }
        }
        // A value below the null mark was seen exactly when `lo` moved.
        guard lo != U.max else { return nil }
        return (base &+ Int64(lo), base &+ Int64(hi))
    }

    /// The smallest and largest non-null value of an array read straight into place.
    static func range<T: FixedWidthInteger & SignedInteger>(_ values: UnsafeBufferPointer<T>, null: T) -> (min: Int64, max: Int64)? {
        var lo = Int64.max, hi = Int64.min
        for v in values where v != null {
            lo = min(lo, Int64(v))
            hi = max(hi, Int64(v))
        }
        return lo > hi ? nil : (lo, hi)
    }
}
