import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// How a statement spreads a large pass over the cores: inputs of at least `threshold` rows are cut
/// into `workers` contiguous chunks, each run on its own thread (Dispatch `concurrentPerform`, as
/// the index build does), and the chunks' results are joined in order. Smaller inputs run on the
/// calling thread: handing work to another core costs some microseconds, which a short statement
/// (a point lookup) would notice.
///
/// A parameter of each executor, not a global, so tests force the parallel path on small data
/// (`Parallelism(workers: 3, threshold: 1)`) and compare it with `.serial`.
public struct Parallelism: Sendable, Equatable {
    /// Chunks a large input is cut into (at least 1).
    public var workers: Int
    /// The fewest rows worth cutting.
    public var threshold: Int
    /// Grouping is cut into chunks only with at least this many rows per group slot: each chunk
    /// fills and the join adds a whole table, which must cost little beside the rows.
    public var rowsPerGroup: Int

    public init(workers: Int, threshold: Int, rowsPerGroup: Int = 8) {
        self.workers = max(1, workers)
        self.threshold = max(1, threshold)
        self.rowsPerGroup = max(0, rowsPerGroup)
    }

    /// Every core of the machine, for inputs of 32,768 rows or more (a pass over that many rows
    /// takes tens of microseconds: more than the hand-over).
    public static let cores = Parallelism(workers: Parallelism.onlineCores, threshold: 1 << 15)

    /// One thread always.
    public static let serial = Parallelism(workers: 1, threshold: .max)

    private static var onlineCores: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }

    /// How many chunks `n` items are cut into (1: run serially).
    func chunkCount(_ n: Int) -> Int {
        n < threshold || workers < 2 ? 1 : min(workers, n)
    }

    /// The `i`-th of `chunks` contiguous, nearly equal parts of `0..<n`; when `align` is given,
    /// every cut falls on one of its multiples (a bitmap's words).
    static func chunk(_ i: Int, of chunks: Int, _ n: Int, align: Int = 1) -> Range<Int> {
        func cut(_ k: Int) -> Int {
            if k >= chunks { return n }
            return min(n, (n * k / chunks) / align * align)
        }
        return cut(i)..<cut(i + 1)
    }

    /// `body` over the chunks of `0..<n`, results in chunk order. The first error (in chunk
    /// order) is thrown after every chunk has stopped; each chunk checks cancellation itself.
    func map<T>(_ n: Int, align: Int = 1, _ body: (Range<Int>) throws(Diagnostic) -> T) throws(Diagnostic) -> [T] {
        let chunks = chunkCount(n)
        if chunks == 1 { return [try body(0..<n)] }
        let results = UnsafeMutableBufferPointer<Result<T, Diagnostic>?>.allocate(capacity: chunks)
        results.initialize(repeating: nil)
        defer { results.deinitialize().deallocate() }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let slots = results
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: chunks) { i in
                let range = Parallelism.chunk(i, of: chunks, n, align: align)
                slots[i] = Result { () throws(Diagnostic) -> T in try work(range) }
            }
        }
        var out: [T] = []
        out.reserveCapacity(chunks)
        for r in results {
            switch r! {
            case .success(let v): out.append(v)
            case .failure(let e): throw e
            }
        }
        return out
    }
}
