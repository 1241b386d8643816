"""What scripts/bench.py and scripts/bench-snapshot.py share: the column types of crmq's CSV export
and loading it into SQLite with the benchmark's 15 indexes, so both measure the same SQLite file."""
import csv
import os
import sqlite3

ENTITIES = ["users", "accounts", "contacts", "leads", "opportunities", "stage_changes", "activities", "campaigns", "cases"]
# Money and percent become integer hundredths in SQLite (exact, like crmq).
MONEY = {"annual_revenue", "value", "budget", "probability"}
INTS = {"id", "employees", "score", "owner", "account", "contact", "campaign", "converted_contact",
        "converted_opportunity", "opportunity", "changed_by", "lead", "done"}
BOOLS = {"done"}
# The 15 indexes: every foreign key the queries use, and the filtered and sorted columns.
INDEXES = [("opportunities", "account"), ("opportunities", "owner"), ("opportunities", "stage"),
           ("opportunities", "value"), ("opportunities", "close_date"), ("opportunities", "lead_source"),
           ("opportunities", "created_at"), ("contacts", "account"), ("contacts", "last_name"),
           ("contacts", "email"), ("activities", "owner"), ("activities", "account"), ("activities", "due_at"),
           ("activities", "type"), ("accounts", "industry")]


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
        db.execute(f'CREATE INDEX "{table}_{col}" ON "{table}"("{col}")')
    db.execute("ANALYZE")
    db.commit()
    return db
