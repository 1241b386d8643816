#!/usr/bin/env python3
"""Writes the fuzzers' seeds and dictionaries under Tests/fuzz (run by `scripts/fuzz seeds`).

statement:  one file per statement of examples/*.crmq and Tests/golden/*.crmq
structured: a few byte strings (any bytes build a statement; these start it off varied)
snapshot:   small snapshots written by crmq, each with the flag byte FuzzTarget reads first
journal:    journals written by crmq beside the fixture's data (the demo at scale 0.001, seed 1)
csv:        CSV files exported by crmq and hand-written awkward ones, each with the flag byte
            (delimiter, encoding) FuzzTarget reads first
vcard:      the client exports in Tests/fixtures/vcards, whole and cut into single cards
The dictionaries list the language's keywords, symbols, entities, fields and enum values (read from
the engine's sources), and the file formats' magic bytes."""
import hashlib, os, re, shutil, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
crmq = sys.argv[1]
seeds = os.path.join(root, "Tests/fuzz/seeds")
STARTERS = {"find", "count", "sum", "avg", "min", "max", "explain", "index", "drop", "create", "update",
            "delete", "upsert", "begin", "commit", "rollback", "save", "define", "set", "report"}


def write(target, data):
    folder = os.path.join(seeds, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def statements(text):
    """Splits a script where crmq does: at ';', and at a line that starts a new statement."""
    out, current = [], []
    for line in text.splitlines():
        word = line.strip().split(" ")[0].lower()
        if current and (word in STARTERS or word.startswith(".")):
            out.append("\n".join(current))
            current = []
        if line.strip() and not line.strip().startswith("--"):
            current.append(line)
    out.append("\n".join(current))
    return [s.strip() for part in out for s in part.split(";") if s.strip()]


def statement_seeds():
    scripts = [os.path.join(root, d, f) for d in ("examples", "Tests/golden")
               for f in sorted(os.listdir(os.path.join(root, d))) if f.endswith(".crmq")]
    for path in scripts:
        for s in statements(open(path, encoding="utf-8").read()):
            write("statement", s.encode())


def structured_seeds():
    for i in range(16):
        write("structured", bytes((i * 37 + k * 11) % 256 for k in range(8 + i * 4)))


def run(*args, cwd):
    subprocess.run([crmq, "--today", "2026-06-15", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def file_seeds(tmp):
    # Snapshots: the demo cut down to nothing, and to two records an entity.
    run("--scale", "0.0001", "-c", 'save "small.crmq"', cwd=tmp)
    for name, keep in (("empty", 0), ("few", 2)):
        shutil.copy(os.path.join(tmp, "small.crmq"), os.path.join(tmp, name + ".crmq"))
        entities = ["stage_changes", "activities", "cases", "leads", "opportunities", "contacts", "campaigns",
                    "accounts", "users"]
        cuts = [x for e in entities for x in ("-c", f"delete {e} where id > {keep}")]
        run(name + ".crmq", *cuts, "-c", "save", cwd=tmp)
        data = open(os.path.join(tmp, name + ".crmq"), "rb").read()
        for flags in (0, 1):
            write("snapshot", bytes([flags]) + data)
    # Journals on the fixture's data: each case a fresh journal, so each holds only its own records.
    cases = {
        "changes": ['update opportunities set stage = "Negotiation" where id = 1',
                    'create account name = "Acme", industry = "Retail"', "delete leads where id = 1",
                    'update contacts set title = "CEO", email = null where id < 4'],
        "transaction": ["begin", 'update leads set score = 90 where id = 2',
                        'create lead last_name = "Lund", source = "event"', "commit"],
        "upsert": ['upsert contact by email set email = "ann@acme.example", first_name = "Ann", account = 1',
                   'update activities set done = true where id <= 3', "delete opportunities where id = 2"],
    }
    # An import of more than 15 records is journaled as one insert batch (tag 5); deals bring their
    # stage changes as a second batch.
    rows = "".join(f'Import {k} AS,{"Retail" if k % 3 else ""},{["Norway", "Spain", ""][k % 3]},{k * 10}\n' for k in range(24))
    with open(os.path.join(tmp, "batch.csv"), "w") as f:
        f.write("name,industry,country,employees\n" + rows)
    deals = "".join(f'Deal {k},1,{k * 100}.50,2026-0{1 + k % 9}-15\n' for k in range(20))
    with open(os.path.join(tmp, "deals.csv"), "w") as f:
        f.write("name,account,value,close_date\n" + deals)
    cases["import"] = ['import accounts from "batch.csv"', 'import opportunities from "deals.csv"']
    for name, changes in cases.items():
        path = os.path.join(tmp, f"j-{name}.crmq")
        run("--scale", "0.001", "--seed", "1", "-c", f'save "{path}"', cwd=tmp)
        run(path, *[x for c in changes for x in ("-c", c)], cwd=tmp)
        data = open(path + "-journal", "rb").read()
        for flags in (2, 3):
            write("journal", bytes([flags]) + data)
        write("journal", bytes([3]) + data[:-7])  # a torn last record
        write("journal", bytes([0]) + data[:32])  # the header alone, naming another snapshot


CSV_SAMPLES = [
    (0, b'name,email\nAnn,ann@x.example\n'),
    (0, b'\xef\xbb\xbfid;"Name";Betrag\r\n1;"M\xc3\xbcller; GmbH";1.234,50\r\n\r\n2;"say ""hi""";\r\n'),
    (0, b'a\tb\tc\n  x\t"y\tz"\t\n"two\nlines"\t\t3\n'),
    (1, b'a,b\r1,"cr\rinside"\r2,\r'),
    (4, b'street;city\nStra\xdfe;"K\xf6ln"\n\x80;\x9f\n'),
    (0, b'name,city\nBob,K\xf6ln\nCid,Bonn\n'),
    (0, b'a,b\n1,"open\n2,3\n'),
    (0, b'a,b,c\n1,2\n1,2,3,4\n"x"y,2\n'),
    (2, b'\n\n  \n'),
]


def csv_seeds(tmp):
    for flags, data in CSV_SAMPLES:
        write("csv", bytes([flags]) + data)
    # What crmq's own export writes, as a round trip imports it.
    for entity in ("accounts", "contacts", "opportunities"):
        path = os.path.join(tmp, entity + ".csv")
        run("--scale", "0.0001", "-c", f'export find {entity} show * limit 8 to "{path}"', cwd=tmp)
        write("csv", bytes([0]) + open(path, "rb").read())


def vcard_seeds():
    shutil.rmtree(os.path.join(seeds, "vcard"), ignore_errors=True)
    folder = os.path.join(root, "Tests/fixtures/vcards")
    for name in sorted(os.listdir(folder)):
        data = open(os.path.join(folder, name), "rb").read()
        write("vcard", data)
        for card in re.split(rb"(?=BEGIN:VCARD)", data):
            if card.strip():
                write("vcard", card)
    # The same cards as UTF-16 (Windows "Unicode" text), which the reader turns into UTF-8 first.
    write("vcard", b"\xff\xfe" + open(os.path.join(folder, "thunderbird-4.0.vcf"), "rb").read().decode().encode("utf-16-le"))
    words = [b"BEGIN:VCARD", b"END:VCARD", b"VERSION:2.1", b"VERSION:3.0", b"VERSION:4.0", b"N:", b"FN:", b"EMAIL",
             b"TEL", b"ADR", b"ORG", b"TITLE", b"NOTE", b"PHOTO", b"item1.", b"X-ABLabel", b";TYPE=", b";type=pref",
             b";PREF", b";PREF=1", b"ENCODING=QUOTED-PRINTABLE", b"ENCODING=BASE64", b"ENCODING=b", b"CHARSET=UTF-8",
             b"CHARSET=ISO-8859-1", b"CHARSET=Windows-1252", b"QUOTED-PRINTABLE", b"=C3=B8", b"=\r\n", b"\r\n ",
             b"\r\n", b"\n\t", b"\\n", b"\\,", b"\\;", b"\\\\", b"mailto:", b"tel:", b"VALUE=uri", b'"', "ø".encode()]

    def escaped(word):  # libFuzzer's dictionary syntax: printable ASCII, with \\ \" and \xAB
        return "".join(chr(b) if 32 <= b < 127 and b not in b'\\"' else "\\" + chr(b) if b in b'\\"' else "\\x%02x" % b
                       for b in word)
    with open(os.path.join(root, "Tests/fuzz/dictionaries/vcard.dict"), "w") as f:
        f.write("# vCard property names, parameters, encodings and line breaks (scripts/fuzz seeds)\n")
        f.write("\n".join('"' + escaped(w) + '"' for w in words) + "\n")


def dictionaries():
    def source(path):
        return open(os.path.join(root, path), encoding="utf-8").read()
    keywords = re.search(r"enum Keyword[^{]*\{(.*?)\n\}", source("Sources/CrmqEngine/Lexer/Token.swift"), re.S).group(1)
    words = set(re.findall(r"`?([a-z]+)`?", keywords.replace("case", "")))
    schema = source("Sources/CrmqEngine/Schema/StandardSchema.swift")
    words |= set(re.findall(r'EntityDef\(name: "(\w+)", singular: "(\w+)"', schema)[i][j]
                 for i in range(len(re.findall(r"EntityDef\(name:", schema))) for j in (0, 1))
    words |= set(re.findall(r'FieldDef\("(\w+)"', schema))
    commands = re.search(r"enum ShellCommand[^{]*\{(.*?)\n\n", source("Sources/CrmqEngine/Session/ShellCommands.swift"), re.S).group(1)
    words |= {"." + c for c in re.findall(r"[a-z]+", commands.replace("case", ""))}
    # The report kinds and the unreserved words of their clauses.
    words |= set(re.findall(r'static let name = "(\w+)"', "".join(
        source(os.path.join("Sources/CrmqEngine/Reports", f)) for f in sorted(os.listdir(os.path.join(root, "Sources/CrmqEngine/Reports")))))) | {"for", "pipeline"}
    texts = set(re.findall(r'"([A-Za-z ]+)"', schema.split("enums:")[1])) | {"Closed Won", "Closed Lost", "Negotiation", "Proposal"}
    symbols = ["(", ")", ",", ".", "*", ";", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "+", "-", "/", "--", "\\x0a",
               "2026-06-15", "2026-01-05T08:00:00Z", "9223372036854775807", "0.5", "1_000", "\\\"", "''"]
    lines = [f'"{w}"' for w in sorted(words)] + [f'"\\"{t}\\""' for t in sorted(texts)]
    lines += ['"' + s.replace('"', '\\"') + '"' if not s.startswith("\\") else f'"{s}"' for s in symbols]
    folder = os.path.join(root, "Tests/fuzz/dictionaries")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "statement.dict"), "w") as f:
        f.write("# crmq's keywords, entities, fields, enum values, shell commands and symbols (scripts/fuzz seeds)\n")
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(folder, "snapshot.dict"), "w") as f:
        f.write('# The snapshot format\'s magic bytes\n"\\x89CRMQ\\x0d\\x0a\\x1a"\n"CRMQ-END"\n"\\x01\\x00\\x00\\x00"\n')
    with open(os.path.join(folder, "journal.dict"), "w") as f:
        f.write('# The journal format\'s magic bytes\n"CRMQJRNL"\n"\\x01\\x00\\x00\\x00"\n')
    with open(os.path.join(folder, "csv.dict"), "w") as f:
        f.write("# CSV's quotes, delimiters, line ends, a BOM, the magic bytes it refuses, UTF-8 good and bad\n")
        f.write("\n".join(['"\\""', '"\\"\\""', '","', '";"', '"\\x09"', '"\\x0d\\x0a"', '"\\x0d"', '"\\x0a"',
                           '"\\xef\\xbb\\xbf"', '"PK\\x03\\x04"', '"\\xff\\xfe"', '"\\xc3\\xa9"', '"\\xe2\\x82\\xac"',
                           '"\\xf0\\x9f\\x99\\x82"', '"\\xc3\\x28"', '"\\xed\\xa0\\x80"', '"\\x80"']) + "\n")


if __name__ == "__main__":
    for t in ("statement", "structured", "snapshot", "journal", "csv"):
        shutil.rmtree(os.path.join(seeds, t), ignore_errors=True)
    statement_seeds()
    structured_seeds()
    with tempfile.TemporaryDirectory() as tmp:
        file_seeds(tmp)
        csv_seeds(tmp)
    dictionaries()
    vcard_seeds()
