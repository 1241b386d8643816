"""The work of scripts/bench-snapshot: times a fresh crmq process on a data file against fresh
SQLite and DuckDB processes on the same data, times `save`, a committed change, loading with and
without building every index, and prints the table for BENCHMARKS.md.

    python3 scripts/bench-snapshot.py CRMQ OUT_DIR SCALE [RUNS]
"""
import csv
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time

import duckdb

from bench_common import ENTITIES, load_duckdb as load_duckdb_file, load_sqlite as load_sqlite_file

crmq, out, scale = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = int(sys.argv[4]) if len(sys.argv) > 4 else 7
DATA = os.path.join(out, "crm.crmq")
LITE = os.path.join(out, "crm.sqlite")
DUCK = os.path.join(out, "crm.duckdb")
QUERY = "count opportunities by stage"
SQL = "SELECT stage, count(*) FROM opportunities GROUP BY stage"

def run(args, check=True):
    """Runs a command; returns (seconds, stdout, stderr)."""
    t0 = time.perf_counter()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if check and p.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{p.stderr}")
    return seconds, p.stdout, p.stderr


def export_csv():
    for name in ENTITIES:
        _, text, _ = run([crmq, DATA, "--format", "csv", "-c", f"find {name} show *"])
        with open(os.path.join(out, name + ".csv"), "w", newline="") as f:
            f.write(text)


def load_sqlite():
    load_sqlite_file(out, LITE).close()


def load_duckdb():
    load_duckdb_file(out, DUCK).close()


def fresh_crmq():
    _, text, _ = run([crmq, DATA, "--format", "csv", "-c", QUERY])
    return sorted(tuple(r) for r in list(csv.reader(text.splitlines()))[1:])


def fresh_sqlite():
    _, text, _ = run(["sqlite3", "-csv", LITE, SQL])
    return sorted(tuple(r) for r in csv.reader(text.splitlines()))


DUCK_SCRIPT = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
               f"[print(f'{{s}},{{n}}') for s, n in c.execute(\"{SQL}\").fetchall()]")


def fresh_duckdb():
    _, text, _ = run([sys.executable, "-c", DUCK_SCRIPT, DUCK])
    return sorted(tuple(r) for r in csv.reader(text.splitlines()))


def timed(fn):
    """Median and best wall time of RUNS fresh processes, after one to warm the page cache."""
    answer = fn()
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), answer


def statement_ms(stderr):
    """The `time: total X ms` lines --timer prints, in ms."""
    return [float(m) for m in re.findall(r"time: total ([0-9.]+) ms", stderr)]


def rss_mb(args):
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(p.stderr.strip().splitlines()[-1]) / 1024


def mb(path):
    return os.path.getsize(path) / 1e6


def main():
    # REUSE=1 keeps the files of an earlier run (the benchmark leaves the data as it found it).
    if not (os.environ.get("REUSE") == "1" and all(os.path.exists(p) for p in (DATA, LITE, DUCK))):
        seconds, text, _ = run([crmq, "generate", "--scale", scale, "--seed", "1", "--today", "2026-06-15", "-o", DATA, "--force"])
        print(f"generated: {text.strip()}", file=sys.stderr)
        t0 = time.perf_counter()
        export_csv()
        load_sqlite()
        load_duckdb()
        print(f"SQLite and DuckDB loaded from CSV in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    run([crmq, "check", DATA])

    # Fresh processes, each engine in turn, so that the machine's load falls on all alike.
    crmq_med, crmq_best, crmq_rows = timed(fresh_crmq)
    lite_med, lite_best, lite_rows = timed(fresh_sqlite)
    duck_med, duck_best, duck_rows = timed(fresh_duckdb)
    same = crmq_rows == lite_rows == duck_rows

    # A statement that needs two indexes (stage postings, value sorted), built on demand.
    indexed = 'count opportunities where stage = "Negotiation" and value > 10000'
    q2_med, q2_best, _ = timed(lambda: run([crmq, DATA, "-c", indexed]))
    # Reading every collection (`.schema` counts them all), and that plus building every index.
    open_med, open_best, _ = timed(lambda: run([crmq, DATA, "-c", ".schema"]))
    _, listing, _ = run([crmq, DATA, "-c", ".indexes"])
    all_med, all_best, _ = timed(lambda: run([crmq, DATA, "-c", ".indexes"]))
    index_kib = sum(int(k.replace(",", "")) for k in re.findall(r", ([0-9,]+) KiB$", listing, re.M))
    rss_all = rss_mb([crmq, DATA, "-c", ".schema"])

    # A committed change (journaled and synced), then save (checkpoint), each timed by --timer.
    # The update sets a value to what it is, so the data stays as the peers have it.
    _, text, _ = run([crmq, DATA, "--format", "csv", "-c", "find opportunities where id = 17 show value"])
    value = text.splitlines()[1]
    # The first statement reads the collection, so the second's time is the change and its commit.
    commits = []
    for _ in range(RUNS):
        _, _, err = run([crmq, DATA, "--timer", "-c", "count opportunities where id = 17",
                         "-c", f"update opportunities set value = {value} where id = 17"])
        commits.append(statement_ms(err)[-1])
    # save after `.schema` has read every collection (the save itself), and save in a fresh process
    # (reading every collection first, then saving).
    saves, fresh_saves = [], []
    for _ in range(RUNS):
        _, _, err = run([crmq, DATA, "--timer", "-c", ".schema", "-c", "save"])
        saves += statement_ms(err)
        _, _, err = run([crmq, DATA, "--timer", "-c", "save"])
        fresh_saves += statement_ms(err)
    run([crmq, "check", DATA])
    rss = rss_mb([crmq, DATA, "-c", QUERY])

    size, lite_size, duck_size = mb(DATA), mb(LITE), mb(DUCK)
    print(f"Scale {scale}; SQLite {sqlite3.sqlite_version} (18 indexes), DuckDB {duckdb.__version__}, "
          f"Python {platform.python_version()}; {os.cpu_count()} cores. Fresh process per run, warm page cache; "
          f"median (best) of {RUNS} runs.\n")
    print("| | crmq | SQLite | DuckDB | SQLite / crmq | DuckDB / crmq |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| `{QUERY}`, fresh process (s) | {crmq_med:.3f} ({crmq_best:.3f}) | {lite_med:.3f} ({lite_best:.3f}) | "
          f"{duck_med:.3f} ({duck_best:.3f}) | {lite_med / crmq_med:.2f}x | {duck_med / crmq_med:.2f}x |")
    print(f"| file size (MB) | {size:.0f} | {lite_size:.0f} | {duck_size:.0f} | {lite_size / size:.2f}x | {duck_size / size:.2f}x |")
    print(f"\nsame answer in all three: {'yes' if same else 'NO'}")
    print(f"save (checkpoint: write, fsync, rename, fsync the directory, restart the journal): "
          f"median {statistics.median(saves) / 1000:.2f} s, best {min(saves) / 1000:.2f} s; as the first statement "
          f"of a fresh process, reading every collection first: median {statistics.median(fresh_saves) / 1000:.2f} s")
    print(f"a committed update (journal record written and synced): median {statistics.median(commits):.1f} ms")
    print(f"reading every collection (`.schema`): median {open_med:.2f} s, resident memory {rss_all:.0f} MB; "
          f"reading them and building every index (`.indexes`): median {all_med:.2f} s, so building them all takes "
          f"{all_med - open_med:.2f} s; they hold {index_kib / 1024:.0f} MB, which storing would add to the {size:.0f} MB file")
    print(f"resident memory of the fresh `{QUERY}` process (it reads one collection of nine): {rss:.0f} MB")
    print(f"`{indexed}` (two indexes built on demand), fresh process: median {q2_med:.3f} s, best {q2_best:.3f} s")
    sys.exit(0 if same else 1)


main()
