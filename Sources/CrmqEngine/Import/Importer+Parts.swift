import Dispatch

/// Reading and converting a large file on every core: reading is most of an import's time, and
/// each record converts on its own. The parts are read at once, then joined in file order; a part
/// whose start turns out not to be a record's (a line break inside a quoted cell), or which could
/// not be read to its end, is read again by the part before it going on, so the rows, lines and
/// bad rows are exactly those of reading the file in one go.
extension Importer {
    func read<Source: SplittableRecordSource>(_ source: Source, _ matched: ImportColumns, _ state: inout ImportState,
                                             parts count: Int, minimumBytes: Int) throws(Diagnostic) {
        let parts = source.parts(count, minimumBytes: minimumBytes)
        guard parts.count > 1 else {
            var only = source
            try read(&only, matched, &state)
            return
        }
        let slots = UnsafeMutableBufferPointer<(source: Source, state: ImportState)?>.allocate(capacity: parts.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        let failures = UnsafeMutableBufferPointer<Diagnostic?>.allocate(capacity: parts.count)
        failures.initialize(repeating: nil)
        defer { failures.deinitialize().deallocate() }
        // Each part is read by its own copy of the reader, into its own slot.
        nonisolated(unsafe) let results = slots, errors = failures, importer = self, sources = parts
        let (def, columns) = (state.def, state.columns)
        DispatchQueue.concurrentPerform(iterations: parts.count) { k in
            var part = sources[k]
            var partState = ImportState(def: def, columns: columns)
            do throws(Diagnostic) {
                try importer.read(&part, matched, &partState)
                results[k] = (part, partState)
            } catch {
                errors[k] = error
            }
        }
        // Only a cancellation throws out of reading.
        if let error = failures.lazy.compactMap({ $0 }).first { throw error }
        guard let first = slots[0] else { return }
        state.append(first.state, lineOffset: 0)
        var current = first.source
        // Lines of `current` are counted from the file's line 1 + offset.
        var offset = 0
        for k in 1..<parts.count {
            if state.fatal { break }
            if let (finished, partState) = slots[k], !partState.fatal, let line = current.lineAfter(reaching: parts[k]) {
                offset += line - 1
                state.append(partState, lineOffset: offset)
                current = finished
            } else {
                // A fatal error's message may name a line counted from the part's start: read again too.
                var rest = current.continuing(through: parts[k])
                try read(&rest, matched, &state, lineOffset: offset)
                current = rest
            }
        }
    }
}
