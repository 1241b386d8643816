"""The peer side of scripts/bench: loads crmq's CSV export into SQLite and DuckDB, times the same
twelve questions in each (warm, in-process, median of 15), checks the answers against crmq's, and
prints the table for BENCHMARKS.md."""
import csv
import json
import os
import platform
import sqlite3
import statistics
import sys
import time

import duckdb

from bench_common import BOOLS, ENTITIES, INTS, MONEY, load_sqlite as load_sqlite_file

out, scale = sys.argv[1], sys.argv[2]
crmq = json.load(open(os.path.join(out, "crmq.json")))
REPEAT = 15

def load_sqlite(path):
    db = load_sqlite_file(out, path)
    db.execute("PRAGMA cache_size=-4000000")
    return db


def load_duckdb():
    db = duckdb.connect()
    for name in ENTITIES:
        path = os.path.join(out, name + ".csv")
        header = next(csv.reader(open(path, newline="")))
        exprs = []
        for h in header:
            if h in MONEY:
                exprs.append(f'CAST(NULLIF("{h}", \'\') AS DECIMAL(18,2)) AS "{h}"')
            elif h in BOOLS:
                exprs.append(f'("{h}" = \'true\') AS "{h}"')
            elif h in INTS:
                exprs.append(f'CAST(NULLIF("{h}", \'\') AS BIGINT) AS "{h}"')
            elif h.endswith("_date") or h in ("start_date", "end_date"):
                exprs.append(f'CAST(NULLIF("{h}", \'\') AS DATE) AS "{h}"')
            elif h.endswith("_at"):
                exprs.append(f'CAST(NULLIF(replace(replace("{h}", \'T\', \' \'), \'Z\', \'\'), \'\') AS TIMESTAMP) AS "{h}"')
            else:
                exprs.append(f'NULLIF("{h}", \'\') AS "{h}"')
        db.execute(f'CREATE TABLE "{name}" AS SELECT {", ".join(exprs)} FROM read_csv(\'{path}\', header=true, all_varchar=true)')
    return db


def money(v):
    """An exact value in hundredths, as crmq prints it."""
    return f"{v // 100}.{v % 100:02d}" if v >= 0 else "-" + money(-v)


# Each question: SQLite SQL, DuckDB SQL, how to turn a result row into crmq's text, ordered or not.
DAY, Q_START, Q_END, L30, L90 = "2026-06-15", "2026-04-01", "2026-06-30", "2026-05-16", "2026-03-17"
QUERIES = {
    "Q1": ("SELECT id, name, stage, value FROM opportunities WHERE id = 500000",
           "SELECT id, name, stage, CAST(value * 100 AS BIGINT) FROM opportunities WHERE id = 500000",
           lambda r: [str(r[0]), r[1], r[2], money(r[3])], True),
    "Q2": ("SELECT count(*) FROM opportunities WHERE stage = 'Negotiation' AND value > 1000000",
           "SELECT count(*) FROM opportunities WHERE stage = 'Negotiation' AND value > 10000",
           lambda r: [str(r[0])], True),
    "Q3": (f"SELECT id, value FROM opportunities WHERE close_date BETWEEN '{DAY}' AND '2026-07-15' ORDER BY value DESC, id LIMIT 20",
           f"SELECT id, CAST(value * 100 AS BIGINT) FROM opportunities WHERE close_date BETWEEN DATE '{DAY}' AND DATE '2026-07-15' ORDER BY value DESC, id LIMIT 20",
           lambda r: [str(r[0]), money(r[1])], True),
    "Q4": ("SELECT stage, count(*), sum(value) FROM opportunities GROUP BY stage",
           "SELECT stage, count(*), CAST(sum(value) * 100 AS BIGINT) FROM opportunities GROUP BY stage",
           lambda r: [r[0], str(r[1]), money(r[2])], False),
    "Q5": ("SELECT a.country, sum(o.value) FROM opportunities o JOIN accounts a ON a.id = o.account "
           "WHERE o.stage = 'Closed Won' AND lower(a.industry) = 'retail' GROUP BY a.country",
           "SELECT a.country, CAST(sum(o.value) * 100 AS BIGINT) FROM opportunities o JOIN accounts a ON a.id = o.account "
           "WHERE o.stage = 'Closed Won' AND lower(a.industry) = 'retail' GROUP BY a.country",
           lambda r: [r[0] or "", money(r[1])], False),
    "Q6": ("SELECT id FROM contacts WHERE last_name LIKE 'Sm%' AND email LIKE '%gmail%'",
           "SELECT id FROM contacts WHERE last_name ILIKE 'Sm%' AND email ILIKE '%gmail%'",
           lambda r: [str(r[0])], False),
    "Q7": (f"SELECT u.name, sum(o.value * o.probability) FROM opportunities o JOIN users u ON u.id = o.owner "
           f"WHERE o.close_date BETWEEN '{Q_START}' AND '{Q_END}' AND o.stage NOT IN ('Closed Won', 'Closed Lost') GROUP BY u.name",
           f"SELECT u.name, sum(CAST(o.value * 100 AS BIGINT) * CAST(o.probability * 100 AS BIGINT)) FROM opportunities o "
           f"JOIN users u ON u.id = o.owner WHERE o.close_date BETWEEN DATE '{Q_START}' AND DATE '{Q_END}' "
           f"AND o.stage NOT IN ('Closed Won', 'Closed Lost') GROUP BY u.name",
           # A percent counts as its points (60 % is 60): cents x hundredths of a point, to cents:
           # / 100, rounded half away from zero.
           lambda r: [r[0], money((int(r[1]) + 50) // 100)], False),
    "Q8": (f"SELECT u.name, a.type, count(*) FROM activities a JOIN users u ON u.id = a.owner "
           f"WHERE a.due_at BETWEEN '{L30}T00:00:00Z' AND '{DAY}T23:59:59Z' GROUP BY u.name, a.type",
           f"SELECT u.name, a.type, count(*) FROM activities a JOIN users u ON u.id = a.owner "
           f"WHERE a.due_at BETWEEN TIMESTAMP '{L30} 00:00:00' AND TIMESTAMP '{DAY} 23:59:59' GROUP BY u.name, a.type",
           lambda r: [r[0], r[1], str(r[2])], False),
    # Related records: EXISTS / NOT EXISTS, and grouped joins for aggregates over child collections.
    "Q9": ("SELECT a.id, a.name FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities o "
           "WHERE o.account = a.id AND o.stage = 'Closed Won' AND o.value > 5000000)",
           "SELECT a.id, a.name FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities o "
           "WHERE o.account = a.id AND o.stage = 'Closed Won' AND o.value > 50000)",
           lambda r: [str(r[0]), r[1]], False),
    "Q10": (f"SELECT count(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM activities x WHERE x.account = a.id "
            f"AND x.due_at BETWEEN '{L90}T00:00:00Z' AND '{DAY}T23:59:59Z')",
            f"SELECT count(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM activities x WHERE x.account = a.id "
            f"AND x.due_at BETWEEN TIMESTAMP '{L90} 00:00:00' AND TIMESTAMP '{DAY} 23:59:59')",
            lambda r: [str(r[0])], True),
    "Q11": ("SELECT a.id, a.name FROM accounts a JOIN (SELECT account, count(*) AS n FROM contacts GROUP BY account) c "
            "ON c.account = a.id WHERE c.n >= 5",
            "SELECT a.id, a.name FROM accounts a JOIN (SELECT account, count(*) AS n FROM contacts GROUP BY account) c "
            "ON c.account = a.id WHERE c.n >= 5",
            lambda r: [str(r[0]), r[1]], False),
    "Q12": ("SELECT a.name, COALESCE(c.n, 0), COALESCE(o.won, 0) AS won FROM accounts a "
            "LEFT JOIN (SELECT account, count(*) AS n FROM contacts GROUP BY account) c ON c.account = a.id "
            "LEFT JOIN (SELECT account, sum(value) AS won FROM opportunities WHERE stage = 'Closed Won' GROUP BY account) o "
            "ON o.account = a.id ORDER BY won DESC, a.id LIMIT 10",
            "SELECT a.name, COALESCE(c.n, 0), CAST(COALESCE(o.won, 0) * 100 AS BIGINT) AS won FROM accounts a "
            "LEFT JOIN (SELECT account, count(*) AS n FROM contacts GROUP BY account) c ON c.account = a.id "
            "LEFT JOIN (SELECT account, sum(value) AS won FROM opportunities WHERE stage = 'Closed Won' GROUP BY account) o "
            "ON o.account = a.id ORDER BY won DESC, a.id LIMIT 10",
            lambda r: [r[0], str(r[1]), money(r[2])], True),
}


def timed(run):
    times, rows = [], None
    for _ in range(REPEAT):
        rows = None  # the previous answer is freed before the clock starts, as crmq-bench does
        t0 = time.perf_counter()
        rows = run()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), rows


def main():
    t0 = time.perf_counter()
    lite = load_sqlite(os.path.join(out, "crm.sqlite"))
    sqlite_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    duck = load_duckdb()
    duck_load = time.perf_counter() - t0
    mine = {q["name"]: q for q in crmq["queries"]}
    failures = 0
    lines = []
    for name, (lite_sql, duck_sql, shape, ordered) in QUERIES.items():
        if name not in mine:  # crmq-bench --only ran a subset
            continue
        lite_ms, lite_rows = timed(lambda: lite.execute(lite_sql).fetchall())
        duck_ms, duck_rows = timed(lambda: duck.execute(duck_sql).fetchall())
        answers = [mine[name]["rows"], [shape(r) for r in lite_rows], [shape(r) for r in duck_rows]]
        if not ordered:
            answers = [sorted(a) for a in answers]
        same = answers[0] == answers[1] == answers[2]
        if not same:
            failures += 1
            print(f"{name}: answers differ\n  crmq:   {answers[0][:5]}\n  sqlite: {answers[1][:5]}\n  duckdb: {answers[2][:5]}", file=sys.stderr)
        ms = mine[name]["median_ms"]
        scan = crmq["scan"].get(name)
        lines.append(f"| {name} | {ms:.3f} | {lite_ms:.3f} | {duck_ms:.3f} | "
                     f"{'%.3f' % scan if scan else '–'} | {lite_ms / ms:.1f}x | {duck_ms / ms:.1f}x | "
                     f"{'%.1fx' % (ms / scan) if scan else '–'} | {len(answers[0])} | {'yes' if same else 'NO'} |")
    print(f"Scale {scale}: {crmq['opportunities']:,} opportunities. SQLite {sqlite3.sqlite_version} (15 indexes), "
          f"DuckDB {duckdb.__version__}, Python {platform.python_version()}; {os.cpu_count()} cores.")
    print(f"Medians of {REPEAT} warm in-process runs, in ms; a ratio above 1 means crmq is faster.\n")
    print("| query | crmq | SQLite | DuckDB | column scan | SQLite / crmq | DuckDB / crmq | crmq / scan | rows | same answer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print("\n".join(lines))
    print(f"\ncrmq: generated in {crmq['generate_s']:.1f} s, indexes built in {crmq['index_build_s']:.2f} s, "
          f"resident memory after load {crmq['rss_mb']:.0f} MB. Load from CSV: SQLite {sqlite_load:.0f} s, DuckDB {duck_load:.1f} s.")
    sys.exit(1 if failures else 0)


main()
