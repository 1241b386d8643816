/// Turns a bound statement into a plan. Its passes are named so each can be switched off when a
/// test wants to compare a plan with and without it.
public struct Planner {
    public enum Pass: String, CaseIterable, Sendable {
        /// `a and (b and c)` -> `and(a, b, c)`; `not not a` -> `a`; drops `all`/`none` where they decide nothing.
        case simplify
    }

    public var passes: Set<Pass>

    public init(passes: Set<Pass> = Set(Pass.allCases)) {
        self.passes = passes
    }

    public func plan(_ find: BoundFind) -> FindPlan {
        FindPlan(query: find, filter: rewrite(find.filter))
    }

    public func plan(_ aggregate: BoundAggregate) -> AggregatePlan {
        AggregatePlan(query: aggregate, filter: rewrite(aggregate.filter))
    }

    private func rewrite(_ f: BoundFilter) -> BoundFilter {
        passes.contains(.simplify) ? Simplify.apply(f) : f
    }
}

/// The `simplify` pass.
enum Simplify {
    static func apply(_ f: BoundFilter) -> BoundFilter {
        switch f {
        case .all, .none, .test:
            return f
        case .not(let inner):
            switch apply(inner) {
            case .not(let x): return x
            case .all: return .none
            case .none: return .all
            case let x: return .not(x)
            }
        case .and(let parts):
            var out: [BoundFilter] = []
            for p in parts.map(apply) {
                switch p {
                case .all: continue
                case .none: return .none
                case .and(let inner): out.append(contentsOf: inner)
                default: out.append(p)
                }
            }
            return out.isEmpty ? .all : out.count == 1 ? out[0] : .and(out)
        case .or(let parts):
            var out: [BoundFilter] = []
            for p in parts.map(apply) {
                switch p {
                case .none: continue
                case .all: return .all
                case .or(let inner): out.append(contentsOf: inner)
                default: out.append(p)
                }
            }
            return out.isEmpty ? .none : out.count == 1 ? out[0] : .or(out)
        }
    }
}
