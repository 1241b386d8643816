"""How each figure of scripts/bench grows from the first scale to the last: reads peers.json and
open.json of each scale's directory and prints one Markdown table (crmq's figure at each end and
the growth of each engine's figure; 4x data growing 4x is linear).

    python3 scripts/bench_scales.py DIR_OF_FIRST_SCALE DIR_OF_LAST_SCALE
"""
import json
import os
import sys


def figures(d):
    merged, order = {}, []
    for f in ("peers.json", "open.json"):
        path = os.path.join(d, f)
        if os.path.exists(path):
            j = json.load(open(path))
            merged.update(j["figures"])
            order += j["order"]
            scale = j["scale"]
    return scale, merged, order


def growth(a, b):
    return f"{b / a:.2f}x" if a and b is not None else "–"


def main():
    (s1, f1, order), (s2, f2, _) = figures(sys.argv[1]), figures(sys.argv[2])
    print(f"Growth from scale {s1} to scale {s2} ({float(s2) / float(s1):g}x the data): crmq's figure at each scale "
          f"and each engine's figure at scale {s2} over its figure at scale {s1} (times in ms unless named).\n")
    print(f"| figure | crmq at {s1} | crmq at {s2} | crmq growth | SQLite growth | DuckDB growth | same answers at both |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name in order:
        a, b = f1[name], f2.get(name)
        if b is None:
            continue
        same = "–" if "same" not in a else "yes" if a["same"] and b.get("same") else "NO"
        print(f"| {name} | {a['crmq']:.3f} | {b['crmq']:.3f} | {growth(a['crmq'], b['crmq'])} | "
              f"{growth(a.get('sqlite'), b.get('sqlite'))} | {growth(a.get('duckdb'), b.get('duckdb'))} | {same} |")


main()
