"""The CRM statements of scripts/bench (crmq-bench's CRMStatements.swift) as hand-written SQL for
SQLite and DuckDB: child-collection filters, a segment, every report, `as of`. Each question is a
function (db, dialect) -> rows as crmq prints them; the SQL computes the counts and sums, and the
client (this file) derives rates and averages from them with crmq's rounding (half away from
zero, in integers), as an application over either engine would. Definitions follow the
differential tests (Tests/CrmqEngineTests/ReportDifferentialTests.swift,
AttributionWonDifferentialTests.swift, AsOfDifferentialTests.swift); the demo data's today is
2026-06-15, and every period is spelled as dates here."""
import datetime
from decimal import Decimal

from bench_common import money

NOW = ("2026-06-15", "12:00:00")
THIS_QUARTER, HISTORY = ("2026-04-01", "2026-06-30"), ("2025-04-01", "2026-03-31")
LAST_30, LAST_YEAR, THIS_YEAR = ("2026-05-16", "2026-06-15"), ("2025-06-15", "2026-06-15"), ("2026-01-01", "2026-12-31")


class Dialect:
    """The little that differs: SQLite holds money and percent as integer hundredths, days and
    date-times as ISO text and booleans as 0/1; DuckDB has DECIMAL(18,2), DATE, TIMESTAMP, BOOLEAN."""

    def __init__(self, duck, first_pipeline):
        self.duck, self.first = duck, first_pipeline

    def amount(self, n):
        """A money or percent literal (whole units)."""
        return str(n) if self.duck else str(n * 100)

    def day(self, d):
        return f"DATE '{d}'" if self.duck else f"'{d}'"

    def moment(self, d, t="00:00:00"):
        return f"TIMESTAMP '{d} {t}'" if self.duck else f"'{d}T{t}Z'"

    def within(self, col, lo, hi):
        """A date-time column on the days lo..hi."""
        nxt = (datetime.date.fromisoformat(hi) + datetime.timedelta(days=1)).isoformat()
        return f"{col} >= {self.moment(lo)} AND {col} < {self.moment(nxt)}"

    def days(self, start, end):
        """Whole days from a date-time's day to a date's (or date-time's) day."""
        if self.duck:
            return f"date_diff('day', CAST({start} AS DATE), CAST({end} AS DATE))"
        return f"CAST(julianday(substr({end}, 1, 10)) - julianday(substr({start}, 1, 10)) AS INTEGER)"

    def done(self, col):
        return f"COALESCE({col}, false)" if self.duck else f"COALESCE({col}, 0) = 1"

    def fixed_join(self):
        """SQLite's CROSS JOIN keeps the written join order (its planner otherwise probes the stage
        history once per stage of the pipeline); DuckDB plans joins itself."""
        return "JOIN" if self.duck else "CROSS JOIN"

    def kind(self, o="o", k="k"):
        return f"JOIN stage_kinds {k} ON {k}.sk_pipeline = COALESCE({o}.pipeline, '{self.first}') AND {k}.sk_stage = {o}.stage"


def cents(v, places=2):
    """A sum as an integer in hundredths (or 10^-places): SQLite's are already; DuckDB's are Decimal."""
    if v is None:
        return 0
    return int(v * 10 ** places) if isinstance(v, Decimal) else int(v)


def rnd(p, w):
    """p / w rounded half away from zero, for p, w >= 0."""
    return (2 * p + w) // (2 * w)


def rate(p, w):
    return "" if w == 0 else money(rnd(p * 10000, w))


def text(v):
    return "" if v is None else str(v)


def one(db, sql):
    return db.execute(sql).fetchall()


# -- Child-collection filters and a segment.

def c1(db, d):
    return one(db, "SELECT count(*) FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id "
                   f"AND o.stage = 'Negotiation' AND o.value > {d.amount(100000)})")


def c2(db, d):
    return one(db, "SELECT count(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id)")


def c3(db, d):
    return one(db, "SELECT count(*) FROM accounts a JOIN (SELECT account FROM opportunities WHERE stage = 'Closed Won' "
                   "GROUP BY account HAVING count(*) >= 3) w ON w.account = a.id")


def s1(db, d):
    return one(db, "SELECT stage, count(*) FROM opportunities WHERE account IN (SELECT id FROM accounts WHERE employees >= 1000) GROUP BY stage")


def s2(db, d):
    return one(db, "SELECT industry, count(*) FROM accounts WHERE employees >= 1000 GROUP BY industry")


# -- Reports.

def funnel(db, d, pipeline):
    """Reached: deals with a change into this stage or a later one (their highest rank reached);
    open, value, average: deals in the stage now."""
    if pipeline == d.first:
        where = f"(o.pipeline = '{pipeline}' OR o.pipeline IS NULL)"
    else:
        where = f"o.pipeline = '{pipeline}'"
    stages = [r[0] for r in one(db, f"SELECT sk_stage FROM stage_kinds WHERE sk_pipeline = '{pipeline}' AND sk_rank >= 0 ORDER BY sk_rank")]
    ranks = dict(one(db, f"""SELECT r, count(*) FROM (SELECT max(k.sk_rank) AS r FROM opportunities o
        {d.fixed_join()} stage_changes s ON s.opportunity = o.id
        {d.fixed_join()} stage_kinds k ON k.sk_pipeline = '{pipeline}' AND k.sk_stage = s.to_stage AND k.sk_rank >= 0
        WHERE {where} GROUP BY o.id) x GROUP BY r"""))
    now = {s: (n, cents(v), c) for s, n, v, c in one(db, f"SELECT stage, count(*), sum(value), count(value) FROM opportunities o WHERE {where} GROUP BY stage")}
    reached = [sum(n for r, n in ranks.items() if r >= i) for i in range(len(stages))]

    def figures(names):
        n = sum(now.get(s, (0, 0, 0))[0] for s in names)
        v = sum(now.get(s, (0, 0, 0))[1] for s in names)
        c = sum(now.get(s, (0, 0, 0))[2] for s in names)
        return [str(n), money(v), money(rnd(v, c)) if c else ""]

    rows = []
    for i, s in enumerate(stages):
        last = i == len(stages) - 1
        rows.append([s, str(reached[i]), "" if last else rate(reached[i + 1], reached[i]),
                     "" if last else str(reached[i] - reached[i + 1])] + figures([s]))
    rows.append(["", str(reached[0]), rate(reached[-1], reached[0]), str(reached[0] - reached[-1])] + figures(stages))
    return rows


def forecast(db, d, by_owner):
    (lo, hi), (hlo, hhi) = THIS_QUARTER, HISTORY
    period = f"o.close_date BETWEEN {d.day(lo)} AND {d.day(hi)}"
    history = f"o.close_date BETWEEN {d.day(hlo)} AND {d.day(hhi)}"
    key = "u.name" if by_owner else "NULL"
    join = "LEFT JOIN users u ON u.id = o.owner" if by_owner else ""
    rows = one(db, f"""SELECT {key},
          sum(o.value) FILTER (WHERE k.sk_kind = 'won' AND {period}),
          sum(o.value) FILTER (WHERE k.sk_kind = 'open' AND {period}),
          sum(o.value * o.probability) FILTER (WHERE k.sk_kind = 'open' AND {period}),
          sum(o.value) FILTER (WHERE k.sk_kind = 'open' AND {period} AND o.probability >= {d.amount(80)}),
          count(*) FILTER (WHERE k.sk_kind = 'won' AND {history}),
          count(*) FILTER (WHERE k.sk_kind <> 'open' AND {history}),
          count(*) FILTER (WHERE k.sk_kind <> 'lost' AND {period})
        FROM opportunities o {d.kind()} {join}
        WHERE o.close_date BETWEEN {d.day(hlo)} AND {d.day(hi)} GROUP BY 1""")
    out = []
    for k, won, pipe, weighted, commit, hw, hc, present in rows:
        if by_owner and not present:
            continue
        won, pipe, commit = cents(won), cents(pipe), cents(commit)
        w = (cents(weighted, 4) * 2 + 10000) // 20000
        out.append([f"{lo} to {hi}" if not by_owner else text(k), money(won), money(pipe), money(w), money(won + commit),
                    money(won + pipe), rate(hw, hc), "" if hc == 0 else money(won + rnd(pipe * hw, hc))])
    return out


def activity(db, d, lo, hi, field):
    rows = one(db, f"""SELECT u.{field}, count(*) FILTER (WHERE a.type = 'call'), count(*) FILTER (WHERE a.type = 'email'),
          count(*) FILTER (WHERE a.type = 'meeting'), count(*) FILTER (WHERE a.type = 'task'),
          count(*) FILTER (WHERE {d.done('a.done')}), count(*),
          count(*) FILTER (WHERE NOT ({d.done('a.done')}) AND a.due_at < {d.moment(*NOW)}), count(DISTINCT a.opportunity)
        FROM activities a LEFT JOIN users u ON u.id = a.owner WHERE {d.within('a.due_at', lo, hi)} GROUP BY 1""")
    won = dict(one(db, f"""SELECT u.{field}, count(*) FROM opportunities o {d.kind()} LEFT JOIN users u ON u.id = o.owner
        WHERE k.sk_kind = 'won' AND o.close_date BETWEEN {d.day(lo)} AND {d.day(hi)} GROUP BY 1"""))
    return [[text(k), str(calls), str(emails), str(meetings), str(tasks), str(done), str(n - done), str(overdue), str(touched),
             str(won.get(k, 0))] for k, calls, emails, meetings, tasks, done, n, overdue, touched in rows]


def attribution(db, d, by_campaign):
    lo, hi = LAST_YEAR
    key, join = ("c.name", "LEFT JOIN campaigns c ON c.id = l.campaign") if by_campaign else ("l.source", "")
    rows = one(db, f"""SELECT {key}, count(*), count(l.converted_at), count(o.id), count(*) FILTER (WHERE k.sk_kind = 'won'),
          sum(o.value) FILTER (WHERE k.sk_kind = 'won'),
          sum({d.days('l.created_at', 'l.converted_at')}) FILTER (WHERE l.converted_at IS NOT NULL)
        FROM leads l LEFT JOIN opportunities o ON o.id = l.converted_opportunity
          LEFT {d.kind()} {join}
        WHERE {d.within('l.created_at', lo, hi)} GROUP BY 1""")
    out = []
    for k, n, conv, opps, wins, revenue, days in rows:
        revenue, days = cents(revenue), days or 0
        out.append([text(k), str(n), str(conv), rate(conv, n), str(opps), str(wins), money(revenue), money(rnd(revenue, n)),
                    "" if conv == 0 else money(rnd(100 * days, conv))])
    return out


def won(db, d, by_owner):
    lo, hi = THIS_YEAR
    key, join = ("u.name", "LEFT JOIN users u ON u.id = o.owner") if by_owner else ("o.type", "")
    deals = f"""SELECT {key} AS g, k.sk_kind = 'won' AS w, o.value AS value, {d.days('o.created_at', 'o.close_date')} AS cycle
        FROM opportunities o {d.kind()} {join}
        WHERE o.close_date BETWEEN {d.day(lo)} AND {d.day(hi)} AND k.sk_kind <> 'open'"""
    figures = """count(*), count(*) FILTER (WHERE w), sum(value) FILTER (WHERE w),
          count(*) FILTER (WHERE cycle <= 30), count(*) FILTER (WHERE cycle <= 30 AND w),
          count(*) FILTER (WHERE cycle > 30), count(*) FILTER (WHERE cycle > 30 AND w)"""
    if d.duck:
        rows = one(db, f"WITH d AS ({deals}) SELECT g, {figures}, median(cycle) FILTER (WHERE w) FROM d GROUP BY g")
    else:
        # SQLite has no median: the middle one or two of each group's cycles, by row number.
        rows = one(db, f"""WITH d AS ({deals}),
            med AS (SELECT g, avg(cycle) AS m FROM (
                      SELECT g, cycle, row_number() OVER (PARTITION BY g ORDER BY cycle) AS rn, count(*) OVER (PARTITION BY g) AS n
                      FROM d WHERE w AND cycle IS NOT NULL) WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY g),
            agg AS (SELECT g, {figures} FROM d GROUP BY g)
            SELECT agg.*, med.m FROM agg LEFT JOIN med ON med.g IS agg.g""")
    out = []
    for k, n, w, revenue, n30, w30, nl, wl, median in rows:
        revenue = cents(revenue)
        out.append([text(k), str(w), money(revenue), money(rnd(revenue, w)) if w else "", rate(w, n),
                    "" if median is None else money(int(round(float(median) * 100))), rate(w30, n30), rate(wl, nl)])
    return out


# -- As of: each deal created by then in the stage of its last change by then (ties: the later id).

def as_of(db, d, day, with_sum):
    t = d.moment(day, "23:59:59")
    figures = "count(*), sum(value)" if with_sum else "count(*)"
    if d.duck:
        rows = one(db, f"""WITH sc AS (SELECT opportunity, to_stage FROM stage_changes WHERE changed_at <= {t}
              QUALIFY row_number() OVER (PARTITION BY opportunity ORDER BY changed_at DESC, id DESC) = 1)
            SELECT sc.to_stage, {figures} FROM opportunities o LEFT JOIN sc ON sc.opportunity = o.id
            WHERE o.created_at <= {t} GROUP BY 1""")
    else:
        rows = one(db, f"""SELECT stage, {figures} FROM (SELECT o.value AS value, (SELECT s.to_stage FROM stage_changes s
              WHERE s.opportunity = o.id AND s.changed_at <= {t} ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) AS stage
            FROM opportunities o WHERE o.created_at <= {t}) GROUP BY stage""")
    return [[text(r[0]), str(r[1])] + ([money(cents(r[2]))] if with_sum else []) for r in rows]


def plain(rows):
    return [[text(v) for v in r] for r in rows]


QUESTIONS = {
    "C1": lambda db, d: plain(c1(db, d)),
    "C2": lambda db, d: plain(c2(db, d)),
    "C3": lambda db, d: plain(c3(db, d)),
    "S1": lambda db, d: plain(s1(db, d)),
    "S2": lambda db, d: plain(s2(db, d)),
    "R1": lambda db, d: funnel(db, d, d.first),
    "R2": lambda db, d: funnel(db, d, "Enterprise"),
    "R3": lambda db, d: forecast(db, d, False),
    "R4": lambda db, d: forecast(db, d, True),
    "R5": lambda db, d: activity(db, d, *LAST_30, "name"),
    "R6": lambda db, d: activity(db, d, *THIS_QUARTER, "team"),
    "R7": lambda db, d: attribution(db, d, False),
    "R8": lambda db, d: attribution(db, d, True),
    "R9": lambda db, d: won(db, d, False),
    "R10": lambda db, d: won(db, d, True),
    "A1": lambda db, d: as_of(db, d, "2026-03-31", False),
    "A2": lambda db, d: as_of(db, d, "2025-12-31", True),
}
