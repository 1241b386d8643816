"""What the benchmark scripts share: the column types of crmq's CSV export, loading it into SQLite
(with the benchmark's indexes) and into DuckDB, so that every script measures the same files; the
stage kinds table the report SQL joins; timing; crmq's text for money."""
import csv
import os
import sqlite3
import statistics
import time

ENTITIES = ["users", "accounts", "contacts", "leads", "opportunities", "stage_changes", "activities", "campaigns", "cases"]
# Money and percent become integer hundredths in SQLite (exact, like crmq).
MONEY = {"annual_revenue", "value", "budget", "probability"}
INTS = {"id", "employees", "score", "owner", "account", "contact", "campaign", "converted_contact",
        "converted_opportunity", "opportunity", "changed_by", "lead", "done"}
BOOLS = {"done"}
# The indexes: every foreign key the queries use, and the filtered and sorted columns; the stage
# history by deal and time (the funnel and `as of`).
INDEXES = [("opportunities", "account"), ("opportunities", "owner"), ("opportunities", "stage"),
           ("opportunities", "value"), ("opportunities", "close_date"), ("opportunities", "lead_source"),
           ("opportunities", "created_at"), ("contacts", "account"), ("contacts", "last_name"),
           ("contacts", "email"), ("activities", "owner"), ("activities", "account"), ("activities", "due_at"),
           ("activities", "type"), ("accounts", "industry"), ("stage_changes", "opportunity, changed_at"),
           ("leads", "created_at")]


def cents(s):
    if s == "":
        return None
    whole, _, frac = s.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((frac + "00")[:2]))


def load_sqlite(csv_dir, path):
    """A new SQLite file at `path` from the CSV files in `csv_dir`; returns the open connection."""
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    for name in ENTITIES:
        with open(os.path.join(csv_dir, name + ".csv"), newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            cols = [f'"{h}" {"INTEGER" if h in INTS or h in MONEY else "TEXT"}' + (" PRIMARY KEY" if h == "id" else "")
                    for h in header]
            db.execute(f'CREATE TABLE "{name}" ({", ".join(cols)})')
            conv = []
            for h in header:
                if h in MONEY:
                    conv.append(cents)
                elif h in BOOLS:
                    conv.append(lambda s: None if s == "" else (1 if s == "true" else 0))
                elif h in INTS:
                    conv.append(lambda s: None if s == "" else int(s))
                else:
                    conv.append(lambda s: None if s == "" else s)
            marks = ", ".join("?" * len(header))
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', ([c(v) for c, v in zip(conv, r)] for r in rows))
    for table, col in INDEXES:
        cols = [c.strip() for c in col.split(",")]
        quoted = ", ".join('"%s"' % c for c in cols)
        db.execute(f'CREATE INDEX "{table}_{"_".join(cols)}" ON "{table}"({quoted})')
    db.execute("ANALYZE")
    db.commit()
    return db


def load_duckdb(csv_dir, path):
    """A new DuckDB file at `path` from the CSV files in `csv_dir` (money as DECIMAL(18,2), dates
    and date-times typed); returns the open connection."""
    import duckdb
    if os.path.exists(path):
        os.remove(path)
    db = duckdb.connect(path)
    for name in ENTITIES:
        file = os.path.join(csv_dir, name + ".csv")
        header = next(csv.reader(open(file, newline="")))
        exprs = []
        for h in header:
            if h in MONEY:
                exprs.append(f'CAST(NULLIF("{h}", \'\') AS DECIMAL(18,2)) AS "{h}"')
            elif h in BOOLS:
                exprs.append(f'("{h}" = \'true\') AS "{h}"')
            elif h in INTS:
                exprs.append(f'CAST(NULLIF("{h}", \'\') AS BIGINT) AS "{h}"')
            elif h.endswith("_date"):
                exprs.append(f'CAST(NULLIF("{h}", \'\') AS DATE) AS "{h}"')
            elif h.endswith("_at"):
                exprs.append(f'CAST(NULLIF(replace(replace("{h}", \'T\', \' \'), \'Z\', \'\'), \'\') AS TIMESTAMP) AS "{h}"')
            else:
                exprs.append(f'NULLIF("{h}", \'\') AS "{h}"')
        db.execute(f'CREATE TABLE "{name}" AS SELECT {", ".join(exprs)} FROM read_csv(\'{file}\', header=true, all_varchar=true)')
    db.execute("CHECKPOINT")
    return db


def create_stage_kinds(db, pipelines):
    """`stage_kinds`: each stage of each pipeline with its kind ('open', 'won', 'lost'), its rank
    among the pipeline's open and won stages (the funnel's order; -1 for a lost stage) and its
    probability. The reports' SQL joins a deal to it by (COALESCE(pipeline, first), stage)."""
    db.execute("DROP TABLE IF EXISTS stage_kinds")
    db.execute("CREATE TABLE stage_kinds (sk_pipeline TEXT, sk_stage TEXT, sk_kind TEXT, sk_rank INTEGER, sk_prob INTEGER, PRIMARY KEY (sk_pipeline, sk_stage))")
    rows = []
    for p in pipelines:
        rank = 0
        for s in p["stages"]:
            kind = "won" if s["won"] else "lost" if s["closed"] else "open"
            rows.append((p["name"], s["name"], kind, -1 if kind == "lost" else rank, s["probability"]))
            rank += kind != "lost"
    db.executemany("INSERT INTO stage_kinds VALUES (?, ?, ?, ?, ?)", rows)


def timed(run, repeat, budget_s=4.0):
    """Median ms of up to `repeat` runs, how many, and the last answer: fewer runs once `budget_s`
    is spent (at least 3, or 1 when the first run alone takes longer), so that a query taking
    seconds does not hold the whole run. The previous
    answer is freed before the clock starts, as crmq-bench does."""
    times, rows, spent = [], None, 0.0
    for i in range(repeat):
        rows = None
        t0 = time.perf_counter()
        rows = run()
        times.append((time.perf_counter() - t0) * 1000)
        spent += times[-1] / 1000
        if spent > budget_s and (i >= 2 or times[0] > budget_s):
            break
    return statistics.median(times), rows, len(times)


def money(v):
    """An exact value in hundredths, as crmq prints it; '' for none."""
    if v is None:
        return ""
    return f"{v // 100}.{v % 100:02d}" if v >= 0 else "-" + money(-v)
