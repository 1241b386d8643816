import Testing
@testable import CrmqEngine

/// A narrow integer column reads back exactly the values written to it, whatever sequence of
/// appends, writes and removals widened or rebased it on the way: checked against a plain array.
@Suite struct IntColumnTests {
    @Test func picksTheNarrowestWidth() {
        #expect(IntColumn([0, 1, 13, nullInt]).width == 1)
        #expect(IntColumn([20_000, 20_254]).width == 1)
        #expect(IntColumn([20_000, 20_255]).width == 2)
        #expect(IntColumn([1, 1_000_000]).width == 4)
        #expect(IntColumn([-5_000_000_000, 5_000_000_000]).width == 8)
        #expect(IntColumn([Int64.max, Int64.min + 1]).width == 8)
        #expect(IntColumn([nullInt, nullInt]).width == 1)
        #expect(IntColumn(repeating: nullInt, count: 3).elementsEqual([nullInt, nullInt, nullInt]))
        #expect(IntColumn(repeating: 7, count: 2).elementsEqual([7, 7]))
    }

    @Test func valuesAtTheEdgesOfEachWidth() {
        for width in [1, 2, 4] {
            let top = Int64((UInt64(1) << UInt64(8 * width)) - 2)  // the largest offset below the null mark
            for base: Int64 in [0, -top, 1_780_000_000, Int64.min + 1, Int64.max - top] {
                let values = [base, base + top, nullInt, base + 1]
                let c = IntColumn(values)
                #expect(c.width == width)
                #expect(Array(c) == values)
                #expect(c.range! == (base, base + top))
            }
        }
    }

    @Test func writesThatDoNotFitWidenOrRebase() {
        var c = IntColumn([10, 11, 12])
        c.append(9)  // below the base
        c.append(300)  // beyond one byte
        c.set(rows: [0], to: 70_000)  // beyond two
        c.set(rows: [1], to: nullInt)
        c.append(Int64.max)  // beyond four
        #expect(Array(c) == [70_000, nullInt, 12, 9, 300, Int64.max])
        #expect(c.width == 8)
        c.remove(rows: [0, 5])
        #expect(Array(c) == [nullInt, 12, 9, 300])
    }

    /// Random operations on a column and on a plain array agree after every step, and every reader
    /// (subscript, iteration, `forEachValue`, `withReader`, `gather`, `bitmap`, `range`) agrees.
    @Test(arguments: 1...40) func agreesWithAPlainArray(seed: Int) {
        var random = DiffRandom(seed: UInt64(seed))
        let scales: [Int64] = [3, 200, 60_000, 3_000_000_000, Int64.max / 2]
        func value() -> Int64 {
            if random.chance(0.1) { return nullInt }
            let scale = random.pick(scales)
            let centre: Int64 = random.chance(0.5) ? 0 : 1_780_000_000
            return centre &+ Int64(random.int(Int(min(scale, Int64(Int.max / 2))))) &- scale / 2
        }
        var column = IntColumn()
        var plain: [Int64] = []
        for _ in 0..<60 {
            switch random.int(5) {
            case 0:
                let v = value()
                column.append(v)
                plain.append(v)
            case 1:
                let vs = (0..<random.int(20)).map { _ in value() }
                column.append(contentsOf: vs)
                plain.append(contentsOf: vs)
            case 2 where !plain.isEmpty:
                let rows = Array(Set((0..<random.int(4) + 1).map { _ in Int32(random.int(plain.count)) })).sorted()
                let v = value()
                column.set(rows: rows, to: v)
                for r in rows { plain[Int(r)] = v }
            case 3 where !plain.isEmpty:
                let rows = Array(Set((0..<random.int(3) + 1).map { _ in Int32(random.int(plain.count)) })).sorted()
                column.remove(rows: rows)
                for r in rows.reversed() { plain.remove(at: Int(r)) }
            default:
                column = IntColumn(plain)
            }
            #expect(Array(column) == plain)
            #expect(column == IntColumn(plain))
        }
        #expect(column.int64Array() == plain)
        var seen: [Int64] = []
        column.forEachValue { i, v in
            #expect(i == seen.count)
            seen.append(v)
        }
        #expect(seen == plain)
        #expect(column.withReader { read in plain.indices.map(read) } == plain)
        let picks: [Int32] = plain.indices.reversed().map { Int32($0) } + [-1]
        var out = [Int64](repeating: 42, count: picks.count)
        picks.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { column.gather(p, into: $0) } }
        #expect(out == plain.reversed() + [42])
        #expect(Array(column.gathering(picks.dropLast().map { $0 })) == plain.reversed())
        for (lo, hi) in [(nullInt, Int64.max), (nullInt + 1, 0), (-100, 100), (1_780_000_000, 1_780_000_100), (5, 4),
                         (Int64.max, Int64.max), (nullInt, nullInt), (0, Int64.max)] {
            for parallelism in [Parallelism.serial, Parallelism(workers: 3, threshold: 1)] {
                let bits = column.bitmap(from: lo, through: hi, parallelism: parallelism)
                #expect(bits.rows == plain.indices.filter { plain[$0] >= lo && plain[$0] <= hi }.map { Int32($0) })
            }
        }
        let bits = column.bitmap { $0 != nullInt && $0 > 0 }
        #expect(bits.rows == plain.indices.filter { plain[$0] != nullInt && plain[$0] > 0 }.map { Int32($0) })
        let present = plain.filter { $0 != nullInt }
        #expect(column.range.map { [$0.min, $0.max] } == (present.isEmpty ? nil : [present.min()!, present.max()!]))
    }
}
