"""Open to first answer, and memory, for scripts/bench: a fresh process on each engine's file asks
`count opportunities by stage` (crmq FILE -c, sqlite3 FILE, DuckDB through Python); median wall time
of RUNS runs after one to warm the page cache, and maximum resident memory (/usr/bin/time). Then
every column of every collection read in one process (a statement per column), with its memory.
Prints Markdown and writes open.json. Needs crm.crmq, crm.sqlite, crm.duckdb and the CSV files in OUT.

    python3 scripts/bench_open.py CRMQ OUT_DIR SCALE RUNS
"""
import csv
import json
import os
import statistics
import subprocess
import sys
import time

from bench_common import ENTITIES

crmq, out, scale = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = int(sys.argv[4]) if len(sys.argv) > 4 else 7
DATA, LITE, DUCK = (os.path.join(out, f) for f in ("crm.crmq", "crm.sqlite", "crm.duckdb"))
QUERY = "count opportunities by stage"
SQL = "SELECT stage, count(*) FROM opportunities GROUP BY stage"
# DuckDB answers through Python (as in the issue); the same script reads a list of statements.
DUCK_SCRIPT = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True)\n"
               "for q in sys.argv[2:]:\n"
               "    [print(','.join('' if v is None else str(v) for v in r)) for r in c.execute(q).fetchall()]")


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(args[:4])} ...\n{p.stderr}")
    return p.stdout


def answer(text, header):
    rows = list(csv.reader(text.splitlines()))
    return sorted(tuple(r) for r in (rows[1:] if header else rows))


def measure(args, runs=RUNS):
    """Median and best wall time of `runs` fresh processes (after one not counted), and the max
    resident memory of one more run, in MB."""
    run(args)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run(args)
        times.append(time.perf_counter() - t0)
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return {"median_s": statistics.median(times), "best_s": min(times), "rss_mb": int(p.stderr.strip().splitlines()[-1]) / 1024}


def every_column():
    """One statement per column of every collection, from the CSV headers (crmq's export)."""
    cols = {e: next(csv.reader(open(os.path.join(out, e + ".csv"), newline=""))) for e in ENTITIES}
    mine = [f"count {e} where {c} is not null" for e in ENTITIES for c in cols[e]]
    sql = [f'SELECT count("{c}") FROM "{e}" WHERE "{c}" IS NOT NULL' for e in ENTITIES for c in cols[e]]
    return mine, sql


def main():
    py = sys.executable
    engines = {
        "crmq": [crmq, DATA, "--format", "csv", "-c", QUERY],
        "SQLite": ["sqlite3", "-csv", LITE, SQL],
        "DuckDB (Python)": [py, "-c", DUCK_SCRIPT, DUCK, SQL],
    }
    answers = [answer(run(engines["crmq"]), True), answer(run(engines["SQLite"]), False), answer(run(engines["DuckDB (Python)"]), False)]
    same = answers[0] == answers[1] == answers[2]
    if not same:
        print(f"open: answers differ\n  {answers[0][:4]}\n  {answers[1][:4]}\n  {answers[2][:4]}", file=sys.stderr)
    # Each engine in turn, so that the machine's load falls on all alike.
    first = {name: measure(args) for name, args in engines.items()}
    python_start = measure([py, "-c", "pass"])
    duck_import = measure([py, "-c", "import duckdb"])

    mine, sql = every_column()
    crmq_args = [crmq, DATA, "--format", "csv"] + [a for s in mine for a in ("-c", s)]
    all_answers = [[r[-1] for r in csv.reader(run(crmq_args).splitlines()) if r and r[-1].isdigit()],
                   run(["sqlite3", LITE] + sql).split(), run([py, "-c", DUCK_SCRIPT, DUCK] + sql).split()]
    all_same = all_answers[0] == all_answers[1] == all_answers[2] and len(all_answers[0]) == len(sql)
    if not all_same:
        print(f"every column: answers differ: {[a[:8] for a in all_answers]}", file=sys.stderr)
    # Seconds a run at scale 1 and more: 3 runs.
    heavy = min(RUNS, 3)
    everything = {"crmq": measure(crmq_args, heavy), "SQLite": measure(["sqlite3", LITE] + sql, heavy),
                  "DuckDB (Python)": measure([py, "-c", DUCK_SCRIPT, DUCK] + sql, heavy)}

    mb = {name: os.path.getsize(p) / 1e6 for name, p in (("crmq", DATA), ("SQLite", LITE), ("DuckDB (Python)", DUCK))}
    print(f"Open to first answer, scale {scale}: a fresh process per run, warm page cache, median (best) of {RUNS} runs "
          f"({heavy} for every column); "
          f"max resident memory of one more run (/usr/bin/time). Answers the same in all three: {'yes' if same else 'NO'}.\n")
    print("| | crmq | SQLite | DuckDB (Python) | SQLite / crmq | DuckDB / crmq |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, table in ((f"`{QUERY}` (s)", first), (f"every column of every collection, {len(sql)} statements (s)", everything)):
        c, s, d = (table[n]["median_s"] for n in engines)
        cells = " | ".join(f"{table[n]['median_s']:.3f} ({table[n]['best_s']:.3f})" for n in engines)
        print(f"| {label} | {cells} | {s / c:.2f}x | {d / c:.2f}x |")
        c, s, d = (table[n]["rss_mb"] for n in engines)
        print(f"| ... max resident memory (MB) | {c:.0f} | {s:.0f} | {d:.0f} | {s / c:.2f}x | {d / c:.2f}x |")
    c, s, d = mb.values()
    print(f"| file size (MB) | {c:.0f} | {s:.0f} | {d:.0f} | {s / c:.2f}x | {d / c:.2f}x |")
    print(f"\nPython's own part of the DuckDB column: starting Python {python_start['median_s']:.3f} s "
          f"({python_start['rss_mb']:.0f} MB), `import duckdb` {duck_import['median_s']:.3f} s ({duck_import['rss_mb']:.0f} MB). "
          f"Every column read (`count E where F is not null` for each field; `count(F)` in SQL): answers the same: "
          f"{'yes' if all_same else 'NO'}.")
    figures = {"open: first answer (s)": {k2: first[k]["median_s"] for k, k2 in zip(engines, ("crmq", "sqlite", "duckdb"))},
               "open: first answer RSS (MB)": {k2: first[k]["rss_mb"] for k, k2 in zip(engines, ("crmq", "sqlite", "duckdb"))},
               "every column read (s)": {k2: everything[k]["median_s"] for k, k2 in zip(engines, ("crmq", "sqlite", "duckdb"))},
               "every column read RSS (MB)": {k2: everything[k]["rss_mb"] for k, k2 in zip(engines, ("crmq", "sqlite", "duckdb"))}}
    json.dump({"scale": scale, "figures": figures, "order": list(figures)}, open(os.path.join(out, "open.json"), "w"), indent=1)
    sys.exit(0 if same and all_same else 1)


main()
