"""The generated SQL against the native engine, on real engines.

    differential.py normalize SCHEMA DATA OUT
        Write each table of SCHEMA found in DATA to OUT/<table>.csv in the one
        form the SQL tables take (ISO dates and datetimes, true/false, numbers
        as the native parser reads them, every empty field empty): the
        native engine's field parsing, for loading with COPY.
    differential.py duckdb DDL NORMALIZED SQL NATIVE_JSON
        Load NORMALIZED into an in-memory DuckDB with DDL, run SQL, compare.
    differential.py compare SQL_RESULT_CSV NATIVE_JSON LABEL
        Compare rows an engine returned (CSV with a header) with native figures.
    differential.py rows DDL NORMALIZED OUT SQL…
        Run each SQL on DuckDB over NORMALIZED; write every row returned to OUT
        as JSON lines (one object per row, as Spark writes them).
    differential.py reports NATIVE_JSON OTHER_JSON LABEL
        Compare two whole reports (`eval --format json`): every figure's
        value, counts, undefined reason, targets met, rank and measures, the
        departments listed, and the warnings; the tables read are left out.
    differential.py lists NATIVE_DIR LABEL [--department D] [--outcome O] ROWS…
        Compare the records `zhibiao sql --list` queries returned (ROWS: JSON
        lines or psql's CSV) with native `explain --indicator CODE --format
        json` (NATIVE_DIR/CODE.json, every record of the indicator): per
        indicator the same records, each with the same department, outcome,
        reason, clause, item, item outcome (the best of the item's records)
        and list columns. With --department and --outcome, the native records
        of that department and outcome only (an item's outcome still the best
        of all its records').
    differential.py cases duckdb|postgres CASES BIN [PSQL ARGS…]
        Every policy test case `zhibiao test --write-data CASES` wrote: native
        eval of its data against the SQL run on the engine.

Exit 1 when any figure differs, naming each.
"""

import csv
import datetime
import json
import math
import os
import re
import sys

TRUE = {"是", "1", "√"}
FALSE = {"否", "0", "×"}


def parse_bool(s):
    if s in TRUE or s.lower() in ("true", "y"):
        return "true"
    if s in FALSE or s.lower() in ("false", "n"):
        return "false"
    return None


def ymd(y, m, d):
    try:
        return datetime.date(int(y), int(m), int(d))
    except ValueError:
        return None


DIG = re.compile(r"^[0-9]{1,4}$")
SMALL = re.compile(r"^[0-9]{1,2}$")


def parse_date(s):
    if len(s) == 10 and s[4] == "-" and s[7] == "-":
        if DIG.match(s[0:4]) and DIG.match(s[5:7]) and DIG.match(s[8:10]):
            return ymd(s[0:4], s[5:7], s[8:10])
        return None
    s = s.strip()
    for sep in "-/":
        if sep in s:
            parts = s.split(sep)
            if len(parts) != 3 or len(parts[0]) != 4:
                return None
            y, m, d = parts
            if DIG.match(y) and SMALL.match(m) and SMALL.match(d):
                return ymd(y, m, d)
            return None
    m = re.match(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$", s)
    return ymd(*m.groups()) if m else None


def parse_datetime(s):
    s = s.strip()
    if " " in s:
        d, t = s.split(" ", 1)
    elif "T" in s:
        d, t = s.split("T", 1)
    else:
        day = parse_date(s)
        return day and datetime.datetime(day.year, day.month, day.day)
    day = parse_date(d)
    if day is None:
        return None
    parts = t.strip().split(":")
    if len(parts) not in (2, 3) or len(parts[1]) != 2:
        return None
    sec = 0
    if len(parts) == 3:
        whole = parts[2]
        if "." in whole:
            whole, frac = whole.split(".", 1)
            if not frac or not frac.isdigit():
                return None
        if len(whole) != 2 or not whole.isdigit():
            return None
        sec = int(whole)
    if not SMALL.match(parts[0]) or not parts[1].isdigit():
        return None
    h, mi = int(parts[0]), int(parts[1])
    if h > 23 or mi > 59 or sec > 59:
        return None
    return datetime.datetime(day.year, day.month, day.day, h, mi, sec)


def parse(col, raw):
    """The field as the SQL table holds it, or raise."""
    if raw == "":
        return ""
    for v in (raw, raw.strip()):
        ty = col["type"]
        out = None
        if ty == "text":
            out = v
        elif ty == "enum":
            out = v if v in col.get("values", []) else None
        elif ty == "bool":
            out = parse_bool(v)
        elif ty == "int":
            try:
                out = repr(float(int(v.strip())))
            except ValueError:
                out = None
        elif ty == "decimal":
            try:
                f = float(v.strip())
                out = repr(f) if math.isfinite(f) else None
            except ValueError:
                out = None
        elif ty == "date":
            d = parse_date(v)
            out = d and d.isoformat()
        elif ty == "datetime":
            d = parse_datetime(v)
            out = d and d.strftime("%Y-%m-%d %H:%M:%S")
        if out is not None:
            return out
    raise ValueError(f"`{raw}` is not a {col['type']} (column `{col['name']}`)")


def normalize(schema_path, data, out):
    import yaml

    with open(schema_path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    os.makedirs(out, exist_ok=True)
    for t in schema["tables"]:
        src = os.path.join(data, t["file"])
        if not os.path.exists(src):
            sys.exit(f"missing table file {src}")
        with open(src, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        idx = []
        for c in t["columns"]:
            if c["name"] not in header:
                sys.exit(f"{src}: no column `{c['name']}`")
            idx.append(header.index(c["name"]))
        with open(os.path.join(out, t["name"] + ".csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([c["name"] for c in t["columns"]])
            for n, r in enumerate(body, start=2):
                if not any(r):
                    continue
                try:
                    w.writerow([parse(c, r[i] if i < len(r) else "") for c, i in zip(t["columns"], idx)])
                except ValueError as e:
                    sys.exit(f"{src}:{n}: {e}")


def native_figures(path):
    """(indicator, department) -> (numerator, denominator, measures) from `eval --format json`."""
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    out = {}
    for ind in report["indicators"]:
        for fig in ind["figures"]:
            out[(ind["indicator"], fig["department"])] = (
                fig["numerator"],
                fig["denominator"],
                fig.get("measures"),
            )
        per = {}
        for fig in (ind.get("per") or {}).get("figures", []):
            per[fig["department"]] = (fig["numerator"], fig["denominator"])
        if ind.get("per"):
            out[(ind["indicator"], None)] = per
    return out


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def compare(rows, native_path, label, quiet=False):
    """rows: dicts with indicator, part, kind, grain, department, numerator,
    denominator, measure, records. Returns the number of figures compared."""
    native = native_figures(native_path)
    ratio = {}  # (indicator, department or "court") -> [n, d]
    measures = {}  # (indicator, let name, department or "court") -> value
    lookups = {}  # (indicator, let name) -> value
    per = {}  # indicator -> {value ("" for none): [n, d]}
    for r in rows:
        dept = "court" if r["grain"] == "court" else r["department"]
        if r["grain"] == "per":
            c = per.setdefault(r["indicator"], {}).setdefault(dept or "", [0, 0])
            c[0] += int(r["numerator"])
            c[1] += int(r["denominator"])
        elif r["kind"] == "ratio":
            if dept == "":
                continue  # records with no department count for the court only
            c = ratio.setdefault((r["indicator"], dept), [0, 0])
            c[0] += int(r["numerator"])
            c[1] += int(r["denominator"])
        elif r["kind"] == "lookup":
            lookups[(r["indicator"], r["part"])] = r["measure"]
        else:
            measures[(r["indicator"], r["part"], dept)] = (r["kind"], r["measure"])
    compared, bad = 0, []
    for (ind, dept), fig in sorted(native.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if dept is None:
            got = per.pop(ind, {})
            for value, (n, d) in sorted(fig.items()):
                g = got.pop(value, [0, 0])
                compared += 2
                if not (close(g[0], n) and close(g[1], d)):
                    bad.append(f"{label}: {ind} per {value}: native {n:g}/{d:g}, sql {g[0]}/{g[1]}")
            for value, g in sorted(got.items()):
                bad.append(f"{label}: {ind} per {value}: sql {g[0]}/{g[1]}, not in the native report")
            continue
        n, d, ms = fig
        if n is not None:
            got = ratio.pop((ind, dept), [0, 0])
            compared += 2
            if not (close(got[0], n) and close(got[1], d)):
                bad.append(f"{label}: {ind} {dept}: native {n:g}/{d:g}, sql {got[0]}/{got[1]}")
        if ms:
            for name, v in sorted(ms.items()):
                compared += 1
                if (ind, name) in lookups:
                    got = lookups[(ind, name)]
                else:
                    kind, got = measures.get((ind, name, dept), (None, None))
                    if got is None and kind is None:
                        # No measured record in the department: a count or a sum is 0.
                        got = 0.0 if v is not None else None
                if not close(got, v):
                    bad.append(f"{label}: {ind} {dept} let {name}: native {v}, sql {got}")
    for ind in sorted(per):
        bad.append(f"{label}: {ind}: sql has a per breakdown, the native report none")
    # Every department the SQL counted must be one the native report lists.
    for (ind, dept), got in sorted(ratio.items()):
        if (ind, "court") in native and got != [0, 0]:
            # A report mode that lists the court only leaves departments out.
            listed = any(k[0] == ind and k[1] not in ("court", None) for k in native)
            if listed:
                bad.append(f"{label}: {ind} {dept}: sql {got[0]}/{got[1]}, not in the native report")
    for b in bad:
        print("DIFFERS " + b)
    if bad:
        sys.exit(1)
    if compared == 0:
        sys.exit(f"{label}: no figures compared")
    if not quiet:
        print(f"{label}: {compared} figures agree")
    return compared


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_duckdb(ddl_path, normalized, sql_path, native_path, label, quiet=False):
    import duckdb

    con = duckdb.connect()
    load(con, ddl_path, normalized)
    with open(sql_path, encoding="utf-8") as f:
        sql = f.read()
    cur = con.execute(sql)
    cols = [c[0] for c in cur.description]
    rows = []
    for rec in cur.fetchall():
        r = dict(zip(cols, rec))
        r = {k: ("" if v is None and k == "department" else v) for k, v in r.items()}
        rows.append(r)
    return compare(rows, native_path, label, quiet)


def load(con, ddl_path, normalized):
    """The tables' definitions; the data by the definitions' own load
    statements (`zhibiao sql --ddl --load`) when they have them."""
    with open(ddl_path, encoding="utf-8") as f:
        ddl = f.read()
    con.execute(ddl)
    if "\nCOPY " in ddl:
        return
    for name in sorted(os.listdir(normalized)):
        table = name[: -len(".csv")]
        path = os.path.join(normalized, name).replace("'", "''")
        con.execute(f"COPY \"{table}\" FROM '{path}' (HEADER, DELIMITER ',', QUOTE '\"', NULL '')")


def duckdb_rows(ddl_path, normalized, sql_paths, out):
    import duckdb

    con = duckdb.connect()
    load(con, ddl_path, normalized)
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for sql_path in sql_paths:
            with open(sql_path, encoding="utf-8") as q:
                cur = con.execute(q.read())
            cols = [c[0] for c in cur.description]
            for rec in cur.fetchall():
                row = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in zip(cols, rec)}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    if n == 0:
        sys.exit(f"{out}: the queries returned no row")


LIST_FIXED = ("period", "indicator", "part", "table", "key", "department", "outcome",
              "reason", "cite", "item", "item_outcome", "measure", "amount")


RANKS = ["out_of_period", "excluded", "not_counted", "denominator", "numerator"]


def numeric_text(s):
    """A list column's text; a number in one form (168334.0 and 168334 alike,
    each engine writing its floating point its own way)."""
    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?", s):
        return repr(round(float(s), 6))
    return s


def listed_native(path):
    """Every explained record (of every outcome) as a comparable tuple; an
    item's outcome is the best of its records' (a list of every record
    holds them all); a record of a table with no key has none."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    best = {}
    for o in doc["outcomes"]:
        if o.get("item"):
            r = RANKS.index(o["outcome"])
            best[o["item"]] = max(best.get(o["item"], r), r)
    out = []
    for o in doc["outcomes"]:
        ctx = tuple(sorted((c["label"], numeric_text(c["value"])) for c in o.get("context", []) if c["value"] != ""))
        key = "" if re.fullmatch(r"line [0-9]+", o["key"]) else o["key"]
        item_outcome = RANKS[best[o["item"]]] if o.get("item") else ""
        out.append((o["table"], key, o.get("department") or "", o["outcome"],
                    o.get("reason") or "", o.get("cite") or "", o.get("item") or "",
                    item_outcome, ctx))
    return out


def listed_sql(row):
    def text(k):
        v = row.get(k)
        return "" if v is None else str(v)
    # A list column named after its table (`online_filings.outcome`) where
    # its label is a fixed column's.
    def label(k):
        return k.split(".", 1)[1] if k.startswith(text("table") + ".") else k
    ctx = tuple(sorted((label(k), numeric_text(text(k))) for k in row if k not in LIST_FIXED and text(k) != ""))
    return (text("table"), text("key"), text("department"), text("outcome"), text("reason"),
            text("cite"), text("item"), text("item_outcome"), ctx)


def lists(native_dir, label, args):
    from collections import Counter
    department = outcome = None
    while args and args[0] in ("--department", "--outcome"):
        if args[0] == "--department":
            department = args[1]
        else:
            outcome = args[1]
        args = args[2:]
    rows = []
    for path in args:
        if path.endswith(".csv"):
            rows += read_rows(path)
        else:
            with open(path, encoding="utf-8") as f:
                rows += [json.loads(l) for l in f if l.strip()]
    by_ind = {}
    for r in rows:
        by_ind.setdefault(r["indicator"], []).append(listed_sql(r))
    bad = []
    total = 0
    codes = sorted(n[: -len(".json")] for n in os.listdir(native_dir) if n.endswith(".json"))
    if not codes:
        sys.exit(f"{label}: no native list to compare with")
    for code in codes:
        native = Counter(x for x in listed_native(os.path.join(native_dir, code + ".json"))
                         if (department is None or x[2] == department)
                         and (outcome is None or x[3] == outcome))
        sql = Counter(by_ind.pop(code, []))
        total += sum(native.values())
        if native != sql:
            only_n = list((native - sql).elements())[:5]
            only_s = list((sql - native).elements())[:5]
            bad.append(f"{code}: native {sum(native.values())} records, SQL {sum(sql.values())}"
                       + "".join(f"\n    native only: {x}" for x in only_n)
                       + "".join(f"\n    SQL only:    {x}" for x in only_s))
    for code in by_ind:
        bad.append(f"{code}: SQL listed records of an indicator native eval did not list")
    if bad:
        print(f"{label}: the lists differ", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        sys.exit(1)
    if total == 0:
        sys.exit(f"{label}: the lists hold no record at all")
    print(f"{label}: {total} records of {len(codes)} indicators agree")


def figure_view(fig):
    return {
        "numerator": fig.get("numerator"),
        "denominator": fig.get("denominator"),
        "value": fig.get("value"),
        "undefined": fig.get("undefined"),
        "notes": fig.get("notes"),
        "rank": fig.get("rank"),
        "measures": fig.get("measures"),
        "targets": [(t["who"], t["value"], t.get("met"), t.get("miss")) for t in fig.get("targets", [])],
    }


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def reports(native_path, other_path, label):
    with open(native_path, encoding="utf-8") as f:
        native = json.load(f)
    with open(other_path, encoding="utf-8") as f:
        other = json.load(f)
    bad, compared = [], 0
    if native["period"] != other["period"]:
        bad.append(f"{label}: period {native['period']} against {other['period']}")
    if native["policy"] != other["policy"]:
        bad.append(f"{label}: policy {native['policy']} against {other['policy']}")
    if native.get("warnings", []) != other.get("warnings", []):
        bad.append(f"{label}: warnings {native.get('warnings')} against {other.get('warnings')}")
    theirs = {i["indicator"]: i for i in other["indicators"]}
    if [i["indicator"] for i in native["indicators"]] != [i["indicator"] for i in other["indicators"]]:
        bad.append(f"{label}: the indicators differ or come in another order")
    for ind in native["indicators"]:
        o = theirs.get(ind["indicator"])
        if o is None:
            continue
        for group in ("figures", "per"):
            mine = ind["figures"] if group == "figures" else (ind.get("per") or {}).get("figures", [])
            their = o["figures"] if group == "figures" else (o.get("per") or {}).get("figures", [])
            if [f["department"] for f in mine] != [f["department"] for f in their]:
                bad.append(
                    f"{label}: {ind['indicator']} {group}: native lists {[f['department'] for f in mine]}, "
                    f"the other {[f['department'] for f in their]}"
                )
                continue
            for a, b in zip(mine, their):
                compared += 1
                va, vb = figure_view(a), figure_view(b)
                if not same(va, vb):
                    bad.append(f"{label}: {ind['indicator']} {a['department']}: native {va}, the other {vb}")
    for b in bad:
        print("DIFFERS " + b)
    if bad:
        sys.exit(1)
    if compared == 0:
        sys.exit(f"{label}: no figures compared")
    print(f"{label}: {compared} figures agree, whole")


def run(cmd, **kw):
    import subprocess

    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def psql_rows(psql, setup, query, env):
    """Run setup (tables, loads) then the query in a fresh schema; the rows."""
    import io

    r = run(psql + ["-f", setup], env=env)
    if r.returncode != 0:
        sys.exit(f"postgres setup failed: {r.stderr}")
    r = run(psql + ["--csv", "-f", query], env=env)
    if r.returncode != 0:
        sys.exit(f"postgres query failed: {r.stderr}")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    for row in rows:
        for k in ("numerator", "denominator", "measure", "records"):
            row[k] = None if row[k] == "" else row[k]
    return rows


def cases(engine, root, bin_, psql):
    compared, skipped, n = 0, [], 0
    ddl = {}
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        with open(os.path.join(d, "case.json"), encoding="utf-8") as f:
            case = json.load(f)
        label = f"{engine} test {case['file']} — {case['name']}"
        native = os.path.join(d, "native.json")
        r = run([bin_, "eval", "--policy", case["policy"], "--data", d, "--period", case["period"], "--format", "json"])
        if r.returncode != 0:
            skipped.append(f"{label}: native eval exits {r.returncode}")
            continue
        with open(native, "w", encoding="utf-8") as f:
            f.write(r.stdout)
        tables = os.path.join(d, "tables-" + engine)
        normalize(case["schema"], d, tables)
        if case["policy"] not in ddl:
            r = run([bin_, "sql", "--dialect", engine, "--policy", case["policy"], "--ddl"])
            if r.returncode != 0:
                sys.exit(f"{label}: sql --ddl failed: {r.stderr}")
            ddl[case["policy"]] = r.stdout
        ddl_path = os.path.join(d, engine + "-ddl.sql")
        with open(ddl_path, "w", encoding="utf-8") as f:
            f.write(ddl[case["policy"]])
        query = os.path.join(d, engine + ".sql")
        r = run([bin_, "sql", "--dialect", engine, "--policy", case["policy"], "--period", case["period"], "--output", query])
        if r.returncode != 0:
            sys.exit(f"{label}: sql failed: {r.stderr}")
        if engine == "duckdb":
            compared += run_duckdb(ddl_path, tables, query, native, label, quiet=True)
        else:
            setup = os.path.join(d, "pg-setup.sql")
            with open(setup, "w", encoding="utf-8") as f:
                f.write("DROP SCHEMA IF EXISTS zb CASCADE;\nCREATE SCHEMA zb;\nSET search_path = zb;\n")
                f.write(ddl[case["policy"]])
                for t in sorted(os.listdir(tables)):
                    path = os.path.join(tables, t).replace("'", "''")
                    f.write(f"\\copy \"{t[:-4]}\" FROM '{path}' WITH (FORMAT csv, HEADER true)\n")
            env = dict(os.environ, PGOPTIONS="-c search_path=zb")
            compared += compare(psql_rows(psql, setup, query, env), native, label, quiet=True)
        n += 1
    for s_ in skipped:
        print("skipped " + s_)
    if n == 0:
        sys.exit(f"{engine}: no test case compared")
    print(f"{engine}: {n} policy test cases, {compared} figures agree ({len(skipped)} skipped)")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "normalize" and len(argv) == 5:
        normalize(argv[2], argv[3], argv[4])
    elif cmd == "duckdb" and len(argv) == 7:
        run_duckdb(argv[2], argv[3], argv[4], argv[5], argv[6])
    elif cmd == "cases" and len(argv) >= 5 and argv[2] in ("duckdb", "postgres"):
        cases(argv[2], argv[3], argv[4], argv[5:])
    elif cmd == "rows" and len(argv) >= 6:
        duckdb_rows(argv[2], argv[3], argv[5:], argv[4])
    elif cmd == "lists" and len(argv) >= 5:
        lists(argv[2], argv[3], argv[4:])
    elif cmd == "reports" and len(argv) == 5:
        reports(argv[2], argv[3], argv[4])
    elif cmd == "compare" and len(argv) == 5:
        rows = read_rows(argv[2])
        for r in rows:
            for k in ("numerator", "denominator", "measure", "records"):
                r[k] = None if r[k] == "" else r[k]
        compare(rows, argv[3], argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
