"""The generated Spark SQL on Spark itself, in local mode (pyspark).

    spark.py LOAD_SQL OUT_DIR QUERY…
        Run the statements of LOAD_SQL (`zhibiao sql --dialect spark --ddl
        --load DIR`: a temporary view over each CSV file), then each QUERY;
        write the rows each returned to OUT_DIR/<query's name>.jsonl, one JSON
        object per row as Spark writes them (a NULL's key left out).

One Spark session for every query; the session's time zone is UTC, the zone
the test data's datetimes are read in. Exit 1 when Spark cannot start or a
statement fails.
"""

import json
import os
import sys


def statements(text):
    """The statements of a script: each ends with `;` at the end of a line."""
    out, cur = [], []
    for line in text.splitlines():
        if line.lstrip().startswith("--") and not cur:
            continue
        cur.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(cur).rstrip().rstrip(";"))
            cur = []
    if any(l.strip() and not l.lstrip().startswith("--") for l in cur):
        out.append("\n".join(cur))
    return out


def session(app):
    """A local Spark session as the tests and benchmarks run it: two cores,
    UTC, no UI, two shuffle partitions, a 2 GB driver."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    load, out_dir, queries = argv[1], argv[2], argv[3:]
    try:
        import pyspark  # noqa: F401
    except ImportError as e:
        sys.exit(f"spark: pyspark is not installed: {e}")
    spark = session("zhibiao-differential")
    try:
        with open(load, encoding="utf-8") as f:
            for st in statements(f.read()):
                spark.sql(st)
        os.makedirs(out_dir, exist_ok=True)
        for q in queries:
            with open(q, encoding="utf-8") as f:
                sql = f.read()
            rows = spark.sql(sql).collect()
            if not rows:
                sys.exit(f"spark: {q} returned no row")
            name = os.path.splitext(os.path.basename(q))[0]
            with open(os.path.join(out_dir, name + ".jsonl"), "w", encoding="utf-8") as f:
                for r in rows:
                    d = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.asDict().items() if v is not None}
                    f.write(json.dumps(d, ensure_ascii=False) + "\n")
            print(f"spark: {name}: {len(rows)} rows")
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv)
