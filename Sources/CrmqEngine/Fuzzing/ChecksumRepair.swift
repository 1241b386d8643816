/// Recomputes the checksums of a mutated snapshot or journal, so the fuzzer's changes reach the
/// decoding behind the checks instead of stopping at the first checksum nearly every time.
/// Works on whatever structure the bytes still have, and leaves alone what it cannot follow.
enum ChecksumRepair {
    /// Sets the file length, every section checksum the table can locate, the table checksum, the
    /// header checksum and the end marker (see `SnapshotFormat`).
    static func snapshot(_ bytes: inout [UInt8]) {
        let headerSize = SnapshotFormat.headerSize, entrySize = SnapshotFormat.tableEntrySize
        guard bytes.count >= headerSize + SnapshotFormat.endMarkerSize else { return }
        store(UInt64(bytes.count), at: 16, in: &bytes)
        let endAt = bytes.count - SnapshotFormat.endMarkerSize
        bytes.replaceSubrange(endAt..<endAt + 8, with: SnapshotFormat.endMagic)
        bytes.replaceSubrange(endAt + 8..<bytes.count, with: bytes[24..<32])
        let count = Int(load(UInt32.self, at: 12, in: bytes))
        let tableOffset = load(UInt64.self, at: 48, in: bytes)
        if tableOffset >= UInt64(headerSize), tableOffset <= UInt64(endAt),
           count <= (endAt - Int(tableOffset)) / entrySize {
            let table = Int(tableOffset)
            for i in 0..<count {
                let entry = table + i * entrySize
                let offset = load(UInt64.self, at: entry + 24, in: bytes), length = load(UInt64.self, at: entry + 32, in: bytes)
                guard offset <= UInt64(endAt), length <= UInt64(endAt) - offset else { continue }
                let sum = CRC32C.checksum(Array(bytes[Int(offset)..<Int(offset + length)]))
                store(sum, at: entry + 40, in: &bytes)
            }
            store(CRC32C.checksum(Array(bytes[table..<table + count * entrySize])), at: 56, in: &bytes)
        }
        store(CRC32C.checksum(Array(bytes[..<60])), at: 60, in: &bytes)
    }

    /// Sets the header checksum and, record by record while their lengths stay inside the file,
    /// each payload and head checksum (see `JournalFormat`).
    static func journal(_ bytes: inout [UInt8]) {
        let headerSize = JournalFormat.headerSize, headSize = JournalFormat.recordHeadSize
        guard bytes.count >= headerSize else { return }
        store(CRC32C.checksum(Array(bytes[..<28])), at: 28, in: &bytes)
        var offset = headerSize
        while bytes.count - offset >= headSize {
            let length = Int(load(UInt32.self, at: offset, in: bytes))
            guard length <= bytes.count - offset - headSize else { break }
            let payload = offset + headSize
            store(CRC32C.checksum(Array(bytes[payload..<payload + length])), at: offset + 12, in: &bytes)
            store(CRC32C.checksum(Array(bytes[offset..<offset + 16])), at: offset + 16, in: &bytes)
            offset = payload + length
        }
    }

    /// Makes a journal's header name the snapshot `id` (its checksum is repaired separately).
    static func setJournalSnapshot(_ bytes: inout [UInt8], to id: UInt64) {
        guard bytes.count >= JournalFormat.headerSize else { return }
        store(id, at: 16, in: &bytes)
    }

    private static func load<T: FixedWidthInteger>(_: T.Type, at offset: Int, in bytes: [UInt8]) -> T {
        var v: T = 0
        for i in 0..<MemoryLayout<T>.size { v |= T(bytes[offset + i]) << (8 * i) }
        return v
    }

    private static func store<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<MemoryLayout<T>.size { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
}
