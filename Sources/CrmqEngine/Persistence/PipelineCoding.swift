/// Pipelines in a snapshot's schema section and pipeline changes in the journal (catalog change
/// kind 4). Laid out in docs/snapshot-format.md.
enum PipelineCoding {
    // MARK: - Stages

    /// str name, u32 probability, u8 flags (1 closed, 2 won); from format 3 on, then the criteria.
    static func encode(_ s: Stage, into w: inout ByteWriter, criteria withCriteria: Bool) {
        w.string(s.name)
        w.u32(UInt32(bitPattern: Int32(clamping: s.probability)))
        w.u8((s.isClosed ? 1 : 0) | (s.isWon ? 2 : 0))
        if withCriteria { encode(s.criteria, into: &w) }
    }

    /// Nil for a probability outside 0-100, a bad flag or a bad criterion kind.
    static func decodeStage(_ r: inout ByteReader, criteria withCriteria: Bool) throws(ByteReader.Overrun) -> Stage? {
        let name = try r.string()
        let probability = Int(Int32(bitPattern: try r.u32()))
        let flags = try r.u8()
        guard (0...100).contains(probability), flags <= 3 else { return nil }
        var stage = Stage(name, probability, closed: flags & 1 != 0, won: flags & 2 != 0)
        if withCriteria {
            guard let criteria = try decodeCriteria(&r) else { return nil }
            stage.criteria = criteria
        }
        return stage
    }

    /// u32 n, n x (u8 1 str field | u8 2 str condition).
    static func encode(_ criteria: [ExitCriterion], into w: inout ByteWriter) {
        w.u32(UInt32(criteria.count))
        for c in criteria {
            switch c {
            case .filled(let field):
                w.u8(1)
                w.string(field)
            case .condition(let text):
                w.u8(2)
                w.string(text)
            }
        }
    }

    static func decodeCriteria(_ r: inout ByteReader) throws(ByteReader.Overrun) -> [ExitCriterion]? {
        var out: [ExitCriterion] = []
        for _ in 0..<(try r.count(minimumSize: 5)) {
            switch try r.u8() {
            case 1: out.append(.filled(field: try r.string()))
            case 2: out.append(.condition(try r.string()))
            default: return nil
            }
        }
        return out
    }

    /// str name, u32 n, n x stage (with criteria).
    static func encode(_ p: Pipeline, into w: inout ByteWriter) {
        w.string(p.name)
        w.u32(UInt32(p.stages.count))
        for s in p.stages { encode(s, into: &w, criteria: true) }
    }

    static func decodePipeline(_ r: inout ByteReader) throws(ByteReader.Overrun) -> Pipeline? {
        let name = try r.string()
        var stages: [Stage] = []
        for _ in 0..<(try r.count(minimumSize: 13)) {
            guard let s = try decodeStage(&r, criteria: true) else { return nil }
            stages.append(s)
        }
        return Pipeline(name: name, stages: stages)
    }

    // MARK: - Journal

    /// A pipeline change after its catalog kind: u8 1 define (a pipeline) | u8 2 add stage (str
    /// pipeline, a stage, u32 position) | u8 3 rename stage (str pipeline, str from, str to) | u8 4 drop
    /// stage (str pipeline, str stage) | u8 5 drop (str pipeline) | u8 6 criteria (str pipeline, str
    /// stage, the criteria).
    static func encode(_ change: PipelineChange, into w: inout ByteWriter) {
        switch change {
        case .define(let p):
            w.u8(1)
            encode(p, into: &w)
        case .addStage(let p, let stage, let position):
            w.u8(2)
            w.string(p)
            encode(stage, into: &w, criteria: true)
            w.u32(UInt32(clamping: position))
        case .renameStage(let p, let from, let to):
            w.u8(3)
            w.string(p)
            w.string(from)
            w.string(to)
        case .dropStage(let p, let stage):
            w.u8(4)
            w.string(p)
            w.string(stage)
        case .drop(let p):
            w.u8(5)
            w.string(p)
        case .setCriteria(let p, let stage, let criteria):
            w.u8(6)
            w.string(p)
            w.string(stage)
            encode(criteria, into: &w)
        }
    }

    static func decodeChange(_ r: inout ByteReader) throws(ByteReader.Overrun) -> PipelineChange? {
        switch try r.u8() {
        case 1:
            return try decodePipeline(&r).map { .define($0) }
        case 2:
            let p = try r.string()
            guard let stage = try decodeStage(&r, criteria: true) else { return nil }
            return .addStage(pipeline: p, stage: stage, position: Int(try r.u32()))
        case 3:
            return .renameStage(pipeline: try r.string(), from: try r.string(), to: try r.string())
        case 4:
            return .dropStage(pipeline: try r.string(), stage: try r.string())
        case 5:
            return .drop(pipeline: try r.string())
        case 6:
            let p = try r.string(), stage = try r.string()
            return try decodeCriteria(&r).map { .setCriteria(pipeline: p, stage: stage, criteria: $0) }
        default:
            return nil
        }
    }
}
