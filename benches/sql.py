"""The timed parts of benches/sql.sh: the SQL backend's query on DuckDB and on Spark.

    sql.py normalize SCHEMA DATA OUT
        tests/sql/differential.py's normalize (the one form the SQL tables take:
        ISO dates and datetimes, true/false, empty for NULL), a row at a time, so
        that a 1M-case court fits in memory.
    sql.py duckdb LOAD_SQL RUNS OUT_DIR QUERY…
        An in-memory DuckDB database; the statements of LOAD_SQL (`zhibiao sql
        --ddl --load DIR`: CREATE TABLE, COPY) once, timed as one; then each QUERY
        RUNS times (its rows fetched), and once more under DuckDB's profiler
        (EXPLAIN ANALYZE's figures, as JSON). Writes OUT_DIR/<query's name>.jsonl
        (the rows, as tests/sql/differential.py rows writes them) and
        OUT_DIR/<query's name>.profile.json, and prints one JSON object: load s,
        rows per table, each query's run times, the CPU time of each CTE, the
        peak RSS after the load and at the end.
    sql.py spark LOAD_SQL RUNS OUT_DIR QUERY…
        Spark in local mode (pyspark; as tests/sql/spark.py sets it up): the
        session's start, the statements of LOAD_SQL (temporary views over the
        CSV files), every view read in full once (the noop sink: every column
        parsed, nothing written), then each QUERY RUNS times (and the number of
        file scans in its physical plan, per table). Writes the rows as
        JSON lines like spark.py and prints one JSON object with the times and
        the peak RSS (VmHWM) of the Python driver and of the JVM, read from
        /proc before the session stops.
    sql.py variants LOAD_SQL RUNS QUERY
        Where the DuckDB query's time goes, by taking parts out: an in-memory
        database loaded by LOAD_SQL, then QUERY (a `zhibiao sql --dialect
        duckdb` query) RUNS times whole, without the rows of HC3a and HC3b
        (whose CTEs DuckDB then leaves out), with those rows alone, with HC3a's
        alone, the services CTE alone (read, not grouped), and whole with one
        GROUP BY for both indicators' items (they group the same rows by the
        same columns); prints the best time of each, and whether the last
        returns the same rows.

Times are wall seconds measured around each step (time.perf_counter).
"""

import csv
import json
import os
import re
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "sql"))
import differential  # noqa: E402
from spark import session, statements  # noqa: E402


def normalize(schema_path, data, out):
    import yaml

    with open(schema_path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    tmp = out + ".part"
    os.makedirs(tmp, exist_ok=True)
    for t in schema["tables"]:
        src = os.path.join(data, t["file"])
        with open(src, encoding="utf-8-sig", newline="") as f, open(
            os.path.join(tmp, t["name"] + ".csv"), "w", encoding="utf-8", newline=""
        ) as g:
            rows = csv.reader(f)
            header = next(rows)
            idx = [header.index(c["name"]) for c in t["columns"]]
            cols = t["columns"]
            w = csv.writer(g, lineterminator="\n")
            w.writerow([c["name"] for c in cols])
            parse = differential.parse
            for n, r in enumerate(rows, start=2):
                if not any(r):
                    continue
                try:
                    w.writerow([parse(c, r[i] if i < len(r) else "") for c, i in zip(cols, idx)])
                except ValueError as e:
                    sys.exit(f"{src}:{n}: {e}")
    os.rename(tmp, out)


def hwm_kb(pid="self"):
    """A process's peak resident set size (VmHWM) in kB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def write_rows(path, cols, records, drop_null):
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            row = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in zip(cols, rec)}
            if drop_null:
                row = {k: v for k, v in row.items() if v is not None}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def cte_costs(profile):
    """From DuckDB's profile of a query (EXPLAIN ANALYZE's figures): its wall
    time, its CPU time (the operators' times summed over the threads), and per
    CTE the CPU time of its definition's operators and of the CTE operator
    itself (which for a CTE streamed to several readers includes handing its
    rows on), most costly first."""
    def total(n):
        return n.get("timing", 0) + sum(total(c) for c in n.get("children", []))

    ctes = []

    def walk(n):
        if n.get("type") == "CTE" and len(n.get("children", [])) == 2:
            body, rest = n["children"]
            info = n.get("extra_info", {})
            ctes.append({"cte": info.get("CTE Name"), "mode": info.get("Execution Mode"),
                         "own_s": n.get("timing", 0), "definition_s": total(body)})
            walk(body)
            walk(rest)
        else:
            for c in n.get("children", []):
                walk(c)

    root = profile["operator"][0]
    walk(root)
    ctes.sort(key=lambda c: -(c["own_s"] + c["definition_s"]))
    q = profile.get("query", {})
    return {"profiled_wall_s": q.get("total_time"), "profiled_cpu_s": total(root), "ctes": ctes}


def run_duckdb(load_sql, runs, out_dir, queries):
    import duckdb

    os.makedirs(out_dir, exist_ok=True)
    con = duckdb.connect()
    with open(load_sql, encoding="utf-8") as f:
        text = f.read()
    t0 = time.perf_counter()
    con.execute(text)
    load_s = time.perf_counter() - t0
    tables = {
        t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for (t,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()
    }
    after_load = hwm_kb()
    out = {"engine": "duckdb", "version": duckdb.__version__, "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
           "load_s": load_s, "tables": tables, "rss_after_load_kb": after_load, "queries": {}}
    for q in queries:
        with open(q, encoding="utf-8") as f:
            sql = f.read()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            cur = con.execute(sql)
            records = cur.fetchall()
            times.append(time.perf_counter() - t0)
        cols = [c[0] for c in cur.description]
        if not records:
            sys.exit(f"duckdb: {q} returned no row")
        write_rows(os.path.join(out_dir, name_of(q) + ".jsonl"), cols, records, drop_null=False)
        prof = os.path.join(out_dir, name_of(q) + ".profile.json")
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute(f"PRAGMA profiling_output = '{prof}'")
        con.execute(sql).fetchall()
        con.execute("PRAGMA disable_profiling")
        with open(prof, encoding="utf-8") as f:
            profile = json.load(f)
        out["queries"][name_of(q)] = {"runs_s": times, "rows": len(records), **cte_costs(profile)}
    out["rss_peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))


def run_spark(load_sql, runs, out_dir, queries):
    os.makedirs(out_dir, exist_ok=True)
    t0 = time.perf_counter()
    spark = session("zhibiao-bench")
    start_s = time.perf_counter() - t0
    jvm_pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    out = {"engine": "spark", "version": spark.version, "start_s": start_s, "queries": {}}
    try:
        with open(load_sql, encoding="utf-8") as f:
            sts = statements(f.read())
        t0 = time.perf_counter()
        views = []
        for st in sts:
            spark.sql(st)
            m = re.search(r"TEMPORARY VIEW\s+(\S+)", st)
            if m:
                views.append(m.group(1))
        out["views_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for v in views:
            spark.table(v).write.format("noop").mode("overwrite").save()
        out["read_all_s"] = time.perf_counter() - t0
        for q in queries:
            with open(q, encoding="utf-8") as f:
                sql = f.read()
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                rows = spark.sql(sql).collect()
                times.append(time.perf_counter() - t0)
            if not rows:
                sys.exit(f"spark: {q} returned no row")
            cols = list(rows[0].asDict().keys())
            write_rows(os.path.join(out_dir, name_of(q) + ".jsonl"), cols, [tuple(r) for r in rows], drop_null=True)
            # The physical plan: how many times each file is scanned (Spark
            # inlines a CTE into each of its readers) and what is reused.
            plan = spark.sql(sql)._jdf.queryExecution().executedPlan().toString()
            scans = {}
            for m in re.finditer(r"FileScan csv .*?Location: InMemoryFileIndex\(\d+ paths?\)\[file:[^\]]*/([^/\]]+)\.csv\]", plan):
                scans[m.group(1)] = scans.get(m.group(1), 0) + 1
            out["queries"][name_of(q)] = {"runs_s": times, "rows": len(rows), "file_scans": scans,
                                          "reused_exchanges": plan.count("ReusedExchange")}
        out["jvm_hwm_kb"] = hwm_kb(jvm_pid)
        out["python_hwm_kb"] = hwm_kb()
    finally:
        spark.stop()
    print(json.dumps(out))


def variants(load_sql, runs, query):
    import duckdb

    con = duckdb.connect()
    with open(load_sql, encoding="utf-8") as f:
        con.execute(f.read())
    with open(query, encoding="utf-8") as f:
        sql = f.read()
    head, tail = sql.split("\nSELECT counts.*", 1)
    body = tail[tail.index("FROM (\n") + 7 : tail.index("\n) AS counts")]
    arms = body.split("\nUNION ALL\n")

    def keep(h, want):
        return (h + "\nSELECT counts.*, period.period_start, period.period_end\nFROM (\n"
                + "\nUNION ALL\n".join(a for a in arms if want(a)) + "\n) AS counts\nCROSS JOIN period\nORDER BY 1, 2, 4, 5;")

    def hc3(a):
        return "FROM hc3a_1" in a or "FROM hc3b_1" in a

    start = head.index("hc3a_1 AS (")
    end = head.index("),", head.index("hc3b_1 AS (")) + 2
    one = head[:start] + """hc3_items AS (
  SELECT department,
    MAX(CASE WHEN hc3a_1_counted AND hc3a_1_numerator_ok THEN 1 ELSE 0 END) AS a_n,
    MAX(CASE WHEN hc3a_1_counted THEN 1 ELSE 0 END) AS a_d,
    MAX(CASE WHEN hc3b_1_counted AND hc3b_1_numerator_ok THEN 1 ELSE 0 END) AS b_n,
    MAX(CASE WHEN hc3b_1_counted THEN 1 ELSE 0 END) AS b_d
  FROM services_records
  GROUP BY hc3a_1_item_1, hc3a_1_item_2, hc3a_1_item_3, department
),
hc3a_1 AS (SELECT department, a_n AS n, a_d AS d FROM hc3_items),
hc3b_1 AS (SELECT department, b_n AS n, b_d AS d FROM hc3_items),""" + head[end:]
    tries = {
        "whole": sql,
        "without HC3a and HC3b": keep(head, lambda a: not hc3(a)),
        "HC3a and HC3b alone": keep(head, hc3),
        "HC3a alone": keep(head, lambda a: "FROM hc3a_1" in a),
        "services_records alone (read, not grouped)": head
        + "\nSELECT count(*), sum(hc3a_1_counted::int), sum(hc3b_1_counted::int) FROM services_records;",
        "whole, one GROUP BY for the items of both": keep(one, lambda a: True),
    }
    got = {}
    for name, q in tries.items():
        best = None
        for _ in range(runs):
            t0 = time.perf_counter()
            got[name] = con.execute(q).fetchall()
            w = time.perf_counter() - t0
            best = w if best is None else min(best, w)
        print(f"{name}: {best:.2f} s", flush=True)
    print("one GROUP BY gives the same rows:", got["whole, one GROUP BY for the items of both"] == got["whole"])


def main(argv):
    if len(argv) == 5 and argv[1] == "normalize":
        normalize(argv[2], argv[3], argv[4])
    elif len(argv) == 5 and argv[1] == "variants":
        variants(argv[2], int(argv[3]), argv[4])
    elif len(argv) >= 6 and argv[1] in ("duckdb", "spark"):
        (run_duckdb if argv[1] == "duckdb" else run_spark)(argv[2], int(argv[3]), argv[4], argv[5:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
