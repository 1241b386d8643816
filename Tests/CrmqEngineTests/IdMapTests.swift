import Testing
@testable import CrmqEngine

/// Ids `1 ... n` at rows `0 ..< n` need no table; a change the identity cannot express turns it
/// into a table, and every id keeps its row either way (checked against a plain dictionary).
@Suite struct IdMapTests {
    @Test func inOrderIdsNeedNoTable() {
        var map = IdMap(ids: IntColumn([1, 2, 3]))
        #expect(map.identity == 3 && map.dense.isEmpty && map.memory == 0)
        map.insert(4, row: 3, records: 4)
        #expect(map.identity == 4)
        #expect((0...5).map { map.row(Int64($0)) } == [-1, 0, 1, 2, 3, -1])
        #expect([Int64.min, -1, Int64.max].map { map.row($0) } == [-1, -1, -1])
        #expect(IdMap(ids: [Int64]()).row(1) == -1)
    }

    @Test(arguments: 1...20) func agreesWithADictionary(seed: Int) {
        var random = DiffRandom(seed: UInt64(seed))
        var ids: [Int64] = []
        var next: Int64 = 1
        for _ in 0..<random.int(50) { ids.append(next); next += random.chance(0.1) ? Int64(random.int(300_000)) + 1 : 1 }
        var map = IdMap(ids: ids)
        for _ in 0..<30 {
            switch random.int(3) {
            case 0:
                ids.append(next)
                map.insert(next, row: Int32(ids.count - 1), records: ids.count)
                next += random.chance(0.2) ? Int64(random.int(1_000_000)) + 1 : 1
            case 1 where !ids.isEmpty:
                // A delete: later rows move up, as Collection.delete does.
                let r = random.int(ids.count)
                map.remove(ids[r])
                ids.remove(at: r)
                for row in r..<ids.count { map.move(ids[row], to: Int32(row)) }
            default:
                #expect(map == IdMap(ids: ids))
            }
            let rows = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element, Int32($0.offset)) })
            for id in ids { #expect(map.row(id) == rows[id]) }
            for id: Int64 in [0, -1, next, next + 1_000_000] { #expect(map.row(id) == -1) }
            map.dense.withUnsafeBufferPointer { table in
                for id in ids { #expect(map.row(id, dense: table) == rows[id]) }
            }
        }
    }
}
