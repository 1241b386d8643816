import Dispatch

/// The background lanes rows are written on. Appending rows, and interning their text, is about two thirds
/// of the generator's work and needs nothing but what the planning produced; so while the main thread plans
/// the next entity, these threads write the previous ones. Each job is a pure function of what it captured, so
/// the data does not depend on the threads' timing.
final class DemoWriter: @unchecked Sendable {
    /// A job's result, set on the writer's queue and read only after waiting for its group.
    private final class Slot: @unchecked Sendable {
        var collection: Collection?
    }

    /// Two lanes: activities and stage changes, the biggest jobs, each get one, so that neither waits
    /// behind the other.
    private let lanes = [DispatchQueue(label: "crmq.demo.writer.0"), DispatchQueue(label: "crmq.demo.writer.1")]
    /// Touched by the submitting thread only.
    private var jobs: [(name: String, rows: Int, group: DispatchGroup, slot: Slot)] = []

    func submit(_ name: String, rows: Int, lane: Int, _ work: @escaping @Sendable () -> Collection) {
        let group = DispatchGroup(), slot = Slot()
        lanes[lane % lanes.count].async(group: group) { slot.collection = work() }
        jobs.append((name, rows, group, slot))
    }

    /// Side work for another job, which waits for it through a `DemoPipe`.
    func run(lane: Int, _ work: @escaping @Sendable () -> Void) {
        lanes[lane % lanes.count].async(execute: work)
    }

    /// The jobs in submission order, each with a function that waits for its collection.
    func results() -> [(String, Int, () -> Collection)] {
        jobs.map { job in
            (job.name, job.rows, {
                job.group.wait()
                return job.slot.collection!
            })
        }
    }
}

/// Hands values from one lane to another in chunks and in order, so that making the next chunk overlaps
/// with using the last. Each chunk has its own box: the semaphore orders the one write before the one read.
final class DemoPipe<Value: Sendable>: @unchecked Sendable {
    private final class Box: @unchecked Sendable {
        var values: [Value] = []
    }

    let chunkSize: Int
    private let boxes: [Box]
    private let ready: [DispatchSemaphore]

    init(total: Int, chunkSize: Int) {
        self.chunkSize = max(1, chunkSize)
        let count = (total + self.chunkSize - 1) / self.chunkSize
        boxes = (0..<count).map { _ in Box() }
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    }

    var chunks: Int { boxes.count }

    func put(_ chunk: Int, _ values: [Value]) {
        boxes[chunk].values = values
        ready[chunk].signal()
    }

    func take(_ chunk: Int) -> [Value] {
        ready[chunk].wait()
        defer { boxes[chunk].values = [] }
        return boxes[chunk].values
    }
}
