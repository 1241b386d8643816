"""The peer side of scripts/bench's query tables: loads crmq's CSV export into SQLite and DuckDB
(or reopens the files of an earlier run, BENCH_REUSE=1), times Q1-Q12 (bench_queries.py) and the
CRM statements (bench_crm.py) in each, warm and in-process, checks every answer against crmq's
(crmq-bench's JSON), prints the tables for BENCHMARKS.md and writes the figures to peers.json.

    python3 scripts/bench.py OUT_DIR SCALE
"""
import json
import os
import platform
import sqlite3
import sys
import time

import duckdb

from bench_common import create_stage_kinds, load_duckdb, load_sqlite, timed
from bench_crm import QUESTIONS, Dialect
from bench_queries import QUERIES

out, scale = sys.argv[1], sys.argv[2]
crmq = json.load(open(os.path.join(out, "crmq.json")))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
BUDGET = float(os.environ.get("BENCH_BUDGET", "4"))
LITE, DUCK = os.path.join(out, "crm.sqlite"), os.path.join(out, "crm.duckdb")


def open_engines():
    """Both engines with the data; the load times (None when reused)."""
    if os.environ.get("BENCH_REUSE") == "1" and os.path.exists(LITE) and os.path.exists(DUCK):
        return sqlite3.connect(LITE), duckdb.connect(DUCK), None, None
    t0 = time.perf_counter()
    lite = load_sqlite(out, LITE)
    lite_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    duck = load_duckdb(out, DUCK)
    return lite, duck, lite_load, time.perf_counter() - t0


def compare(name, answers, ordered):
    if not ordered:
        answers = [sorted(a) for a in answers]
    same = answers[0] == answers[1] == answers[2]
    if not same:
        print(f"{name}: answers differ\n  crmq:   {answers[0][:6]}\n  sqlite: {answers[1][:6]}\n  duckdb: {answers[2][:6]}",
              file=sys.stderr)
    return same


def cell(ms, runs):
    """A peer's median, with its number of runs when the time budget cut them short."""
    return f"{ms:.3f}" + ("" if runs == REPEAT else f" ({runs})")


def ratio(a, b):
    return f"{a / b:.1f}x" if b else "–"


def main():
    lite, duck, lite_load, duck_load = open_engines()
    lite.execute("PRAGMA cache_size=-4000000")
    first = crmq["pipelines"][0]["name"]
    for db in (lite, duck):
        create_stage_kinds(db, crmq["pipelines"])
    lite.commit()
    mine = {q["name"]: q for q in crmq["queries"]}
    figures, failures = {}, 0
    q_lines, c_lines = [], []
    for name, (lite_sql, duck_sql, shape, ordered) in QUERIES.items():
        if name not in mine:  # crmq-bench --only ran a subset
            continue
        lite_ms, lite_rows, lite_n = timed(lambda: lite.execute(lite_sql).fetchall(), REPEAT, BUDGET)
        duck_ms, duck_rows, duck_n = timed(lambda: duck.execute(duck_sql).fetchall(), REPEAT, BUDGET)
        same = compare(name, [mine[name]["rows"], [shape(r) for r in lite_rows], [shape(r) for r in duck_rows]], ordered)
        failures += not same
        ms, scan = mine[name]["median_ms"], crmq["scan"].get(name)
        figures[name] = {"crmq": ms, "sqlite": lite_ms, "duckdb": duck_ms, "same": same}
        q_lines.append(f"| {name} | {ms:.3f} | {cell(lite_ms, lite_n)} | {cell(duck_ms, duck_n)} | {'%.3f' % scan if scan else '–'} | "
                       f"{ratio(lite_ms, ms)} | {ratio(duck_ms, ms)} | {ratio(ms, scan) if scan else '–'} | "
                       f"{len(mine[name]['rows'])} | {'yes' if same else 'NO'} |")
    dialects = {"sqlite": Dialect(False, first), "duckdb": Dialect(True, first)}
    for name, ask in QUESTIONS.items():
        if name not in mine:
            continue
        lite_ms, lite_rows, lite_n = timed(lambda: ask(lite, dialects["sqlite"]), REPEAT, BUDGET)
        duck_ms, duck_rows, duck_n = timed(lambda: ask(duck, dialects["duckdb"]), REPEAT, BUDGET)
        same = compare(name, [mine[name]["rows"], lite_rows, duck_rows], False)
        failures += not same
        ms = mine[name]["median_ms"]
        figures[name] = {"crmq": ms, "sqlite": lite_ms, "duckdb": duck_ms, "same": same}
        best = min(lite_ms, duck_ms)
        c_lines.append(f"| {name} | `{mine[name]['query']}` | {ms:.3f} | {cell(lite_ms, lite_n)} | "
                       f"{cell(duck_ms, duck_n)} | {ratio(best, ms)} | {len(mine[name]['rows'])} | {'yes' if same else 'NO'} |")

    print(f"Scale {scale}: {crmq['opportunities']:,} opportunities. SQLite {sqlite3.sqlite_version} (18 indexes), "
          f"DuckDB {duckdb.__version__} ({duck.execute('SELECT current_setting(' + chr(39) + 'threads' + chr(39) + ')').fetchone()[0]} threads), "
          f"Python {platform.python_version()}; {os.cpu_count()} cores.")
    print(f"Medians of {REPEAT} warm in-process runs, in ms (a peer's query that takes more than {BUDGET:.0f} s over its runs "
          f"stops after 3 runs, or 1 when one run takes longer: the count is in brackets); a ratio above 1 means crmq is faster.\n")
    print("| query | crmq | SQLite | DuckDB | column scan | SQLite / crmq | DuckDB / crmq | crmq / scan | rows | same answer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print("\n".join(q_lines))
    if c_lines:
        print("\nThe CRM statements: crmq's time in-process (crmq-bench: parse, bind, plan, run, every cell read), "
              "the peers' hand-written SQL and the client's arithmetic on its counts and sums (scripts/bench_crm.py).\n")
        print("| # | crmq statement | crmq | SQLite | DuckDB | best peer / crmq | rows | same answer |")
        print("|---|---|---:|---:|---:|---:|---:|---|")
        print("\n".join(c_lines))
    loads = "reused from an earlier run" if lite_load is None else f"SQLite {lite_load:.0f} s, DuckDB {duck_load:.1f} s"
    print(f"\ncrmq: generated in {crmq['generate_s']:.1f} s, indexes built in {crmq['index_build_s']:.2f} s, "
          f"resident memory after generating and building every index {crmq['rss_mb']:.0f} MB. Load from CSV: {loads}.")
    if "upkeep" in crmq:
        u = crmq["upkeep"]
        print(f"\nIndexes after a change (crmq-bench, as the shell runs statements; `{crmq.get('upkeep_query', 'Q2')}`, "
              f"medians): the query alone {u['query_ms']:.3f} ms; `create opportunity ...` {u['create_ms']:.3f} ms, "
              f"then the query {u['query_after_create_ms']:.3f} ms (max {u['query_after_create_max_ms']:.3f}); "
              f"`update opportunities set value = ... where id = 17` {u['update_ms']:.3f} ms, then the query "
              f"{u['query_after_update_ms']:.3f} ms (max {u['query_after_update_max_ms']:.3f}).")
        figures["change: create"] = {"crmq": u["create_ms"]}
        figures["change: query after create"] = {"crmq": u["query_after_create_ms"]}
        figures["change: update"] = {"crmq": u["update_ms"]}
        figures["change: query after update"] = {"crmq": u["query_after_update_ms"]}
    json.dump({"scale": scale, "figures": figures, "order": list(figures)}, open(os.path.join(out, "peers.json"), "w"), indent=1)
    sys.exit(1 if failures else 0)


main()
