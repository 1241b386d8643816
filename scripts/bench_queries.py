"""Q1-Q12 of scripts/bench in SQLite's and DuckDB's SQL: for each, the SQLite SQL, the DuckDB SQL,
how to turn a result row into crmq's text, and whether the order counts.

Q5, Q7, Q9 and Q12 name the stage "Closed Won" (the standard pipeline's won stage) in crmq's
statement and in the SQL alike: the same literal question in all three engines. A deal of
another pipeline won in its own won stage ("Contract signed") does not count in either; the
reports (bench_crm.py) are where "won" means each pipeline's won stage."""
from bench_common import money

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
