/// Reading one CSV file on several cores: the records left are cut into parts at line breaks, each
/// part read by its own reader. A line break may sit inside a quoted cell, so a cut is only a guess
/// at where a record starts; `lineAfter(reaching:)` tells afterwards whether the part before it
/// ended exactly there (the guess was right, and the part after it read what one reader would have)
/// and which line the part starts on. Lines inside a part count from 1 until then.
extension CSVReader: SplittableRecordSource {
    func parts(_ count: Int, minimumBytes: Int) -> [CSVReader] {
        let size = limit - position
        guard count > 1, size >= max(1, minimumBytes) * 2 else { return [self] }
        var cuts: [Int] = []
        bytes.withUnsafeBufferPointer { b in
            for k in 1..<count {
                var i = max(position + size / count * k, cuts.last ?? 0)
                while i < limit && b[i] != CSVScanner.lf { i += 1 }
                // A part starts after a line feed: never between the CR and LF of one line end.
                if i + 1 < limit && i + 1 > (cuts.last ?? position) { cuts.append(i + 1) }
            }
        }
        guard !cuts.isEmpty else { return [self] }
        var out: [CSVReader] = []
        var start = position
        for (k, end) in (cuts + [limit]).enumerated() {
            var part = self
            part.position = start
            part.line = k == 0 ? line : 1
            part.limit = end
            out.append(part)
            start = end
        }
        return out
    }

    func lineAfter(reaching next: CSVReader) -> Int? {
        guard position <= next.position else { return nil }
        // Only empty lines lie between this part's last record and the next part's start.
        return bytes.withUnsafeBufferPointer { b in
            var lines = line
            for i in position..<next.position where b[i] == CSVScanner.lf || (b[i] == CSVScanner.cr && b[i + 1] != CSVScanner.lf) {
                lines += 1
            }
            return lines
        }
    }

    func continuing(through next: CSVReader) -> CSVReader {
        var reader = self
        reader.limit = next.limit
        return reader
    }
}
