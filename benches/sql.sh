#!/usr/bin/env bash
# The SQL backend on real engines: the query `zhibiao sql` generates for the
# whole policy, on DuckDB against DuckDB's own load of the files, and on Spark
# in local mode; each against native `zhibiao eval` of the same period (see
# BENCHMARKS.md).
#
#   benches/sql.sh [--size 1m] [--spark-size 100k] [--runs 3] [--spark-runs 2]
#                  [--periods 2022-06,2022-Q2] [--no-spark] [--no-build]
#
# Uses (or generates, seed 7, as benches/run.sh does) target/bench-data/SIZE
# and writes its tables once in the form the SQL tables load
# (target/bench-data/SIZE-sql: ISO dates and datetimes, true/false, empty for
# NULL; benches/sql.py normalize, tests/sql/differential.py's parsing). Then:
#
#   DuckDB (SIZE)    one Python process (duckdb in a venv, target/sql-venv as
#                    tests/sql/run.sh makes it; ZHIBIAO_SQL_VENV for another):
#                    an in-memory database, the `zhibiao sql --ddl --load`
#                    statements (CREATE TABLE, COPY) once, timed; then the query
#                    of each period --runs times on the loaded data (best
#                    wall time), and once under DuckDB's profiler for the CPU
#                    time of each CTE. Peak RSS: after the load, and the
#                    process's peak (GNU time)
#   zhibiao eval     the same periods on the CSV folder, --runs times each
#                    (best wall time, largest peak RSS)
#   Spark (SPARK_SIZE) one pyspark session, local[2] (as tests/sql/spark.py):
#                    its start, the temporary views of `sql --dialect spark
#                    --ddl --load`, every view read in full once (the noop
#                    sink), then each period's query --spark-runs times (best
#                    wall time; a query takes minutes), and the number of file
#                    scans in its physical plan. Peak RSS: the JVM's and the Python driver's, each
#                    its VmHWM read from /proc before the session stops
#
# The rows each engine returned are turned into the report by `zhibiao eval
# --counts` and compared, whole, with native eval's (tests/sql/differential.py
# reports): a run whose figures differ fails. Nothing here asserts a timing;
# the goal (the query faster than DuckDB's load) is printed as met / not met.
set -euo pipefail
export LC_ALL=C
# benches/sql.py imports tests/sql/*.py: no __pycache__ left in the checkout.
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

SIZE=1m SPARK_SIZE=100k RUNS=3 SPARK_RUNS=2 PERIODS=2022-06,2022-Q2 SPARK=1 BUILD=1
usage() {
    echo "usage: benches/sql.sh [--size 1m] [--spark-size 100k] [--runs 3] [--spark-runs 2] [--periods 2022-06,2022-Q2] [--no-spark] [--no-build]" >&2
    exit 2
}
while (($#)); do
    case $1 in
    --size) SIZE=$2; shift 2 ;;
    --spark-size) SPARK_SIZE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --spark-runs) SPARK_RUNS=$2; shift 2 ;;
    --periods) PERIODS=$2; shift 2 ;;
    --no-spark) SPARK=0; shift ;;
    --no-build) BUILD=0; shift ;;
    *) usage ;;
    esac
done
IFS=, read -r -a periods <<<"$PERIODS"
[[ -x /usr/bin/time ]] || { echo "error: needs GNU time (/usr/bin/time, Debian's \`time\`)" >&2; exit 1; }

((BUILD)) && cargo build --release --bin zhibiao --example gen >&2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp target/release/zhibiao target/release/examples/gen "$TMP/"
Z=$TMP/zhibiao

# ---------------------------------------------------------------- Python
VENV=${ZHIBIAO_SQL_VENV:-target/sql-venv}
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import duckdb, yaml' 2>/dev/null || "$VENV/bin/pip" install --quiet duckdb pyyaml
if ((SPARK)); then
    command -v java >/dev/null 2>&1 || { echo "error: Spark needs Java (a JRE 17); or --no-spark" >&2; exit 1; }
    "$VENV/bin/python" -c 'import pyspark' 2>/dev/null || "$VENV/bin/pip" install --quiet pyspark
fi
PY=$VENV/bin/python

# The court of SIZE in the tables' form, written once (next to its CSV folder).
normalized() {
    local dir out
    dir=$(court)
    out=$PWD/target/bench-data/$SIZE-sql
    if [[ ! -f $out/.generated || "$(cat "$out/.generated")" != "$(cat "$dir/.generated")" ]]; then
        echo "== writing the tables' form of $dir into $out" >&2
        rm -rf "$out" "$out.part"
        "$PY" benches/sql.py normalize policies/schema.yaml "$dir" "$out"
        cp "$dir/.generated" "$out/.generated"
    fi
    echo "$out"
}

# time_once NAME CMD…: CMD once under GNU time, its standard output to
# $TMP/NAME.out; prints "wall rss_kb".
time_once() {
    local name=$1
    shift
    /usr/bin/time -v -o "$TMP/$name.time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || {
        cat "$TMP/$name.err" >&2; exit 1; }
    echo "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$TMP/$name.time" |
        awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')" \
        "$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$TMP/$name.time")"
}

# agree ENGINE ROWS_DIR PREFIX DATA: each period's report from the rows the
# engine returned (eval --counts) against native eval's.
agree() {
    local p
    for p in "${periods[@]}"; do
        "$Z" eval --counts "$2/$3-$p.jsonl" --period "$p" --format json --output "$TMP/counts-$1-$p.json"
        "$PY" tests/sql/differential.py reports "$TMP/native-$4-$p.json" "$TMP/counts-$1-$p.json" "$1 $p" >&2 ||
            { echo "error: $1's figures for $p differ from native eval's" >&2; exit 1; }
    done
}

# json FILE EXPR: a figure from the drivers' JSON (d) as Python computes it.
json() { "$PY" -c "import json, sys; d = json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---------------------------------------------------------------- DuckDB
tables=$(normalized)
dir=$(court)
cat "$dir"/*.csv "$tables"/*.csv >/dev/null
"$Z" sql --dialect duckdb --ddl --load "$tables" >"$TMP/duckdb-load.sql"
queries=()
for p in "${periods[@]}"; do
    "$Z" sql --dialect duckdb --period "$p" >"$TMP/duckdb-$p.sql"
    if grep -q '^-- formulas also read the period' "$TMP/duckdb-$p.sql"; then
        echo "error: the policy reads other periods; this script times one query a period" >&2
        exit 1
    fi
    queries+=("$TMP/duckdb-$p.sql")
done
echo "== DuckDB, $SIZE" >&2
read -r _ d_rss < <(time_once duckdb "$PY" benches/sql.py duckdb "$TMP/duckdb-load.sql" "$RUNS" "$TMP/rows" "${queries[@]}")
D=$TMP/duckdb.out
declare -A e_w e_r
for p in "${periods[@]}"; do
    read -r "e_w[$p]" "e_r[$p]" < <(best "eval-$p" "$Z" eval --data "$dir" --period "$p" --format json --output "$TMP/native-$SIZE-$p.json")
done
agree duckdb "$TMP/rows" duckdb "$SIZE"

load_s=$(json "$D" '"%.2f" % d["load_s"]')
echo "| $SIZE cases | wall (s) | × DuckDB's load | peak RSS (MB) |"
echo "| --- | ---: | ---: | ---: |"
echo "| DuckDB $(json "$D" 'd["version"]'): load (\`sql --ddl --load\`: CREATE TABLE, COPY of $(json "$D" 'len(d["tables"])') files, $(du -sb "$tables" | awk '{ printf "%.0f", $1 / 1e6 }') MB) | $load_s | 1.00 | $(mb "$(json "$D" 'd["rss_after_load_kb"]')") after it |"
met=1
for p in "${periods[@]}"; do
    q=$(json "$D" "'%.2f' % min(d['queries']['duckdb-$p']['runs_s'])")
    awk -v a="$q" -v b="$load_s" 'BEGIN { exit !(a < b) }' || met=0
    echo "| DuckDB: the query for $p (best of $RUNS; CPU $(json "$D" "'%.1f' % d['queries']['duckdb-$p']['profiled_cpu_s']") s) | $q | $(x "$q" "$load_s") | $(mb "$d_rss") (the process) |"
done
for p in "${periods[@]}"; do
    echo "| zhibiao eval $p, CSV folder | ${e_w[$p]} | $(x "${e_w[$p]}" "$load_s") | $(mb "${e_r[$p]}") |"
done
if ((met)); then
    echo "goal (the query for the whole policy faster than DuckDB's load): met"
else
    echo "goal (the query for the whole policy faster than DuckDB's load): not met"
fi
for p in "${periods[@]}"; do
    echo
    echo "The query for $p, CPU time by CTE (DuckDB's profiler, the costliest):"
    echo
    echo "| CTE | its operators (s) | the CTE itself (s) | share of the query's CPU |"
    echo "| --- | ---: | ---: | ---: |"
    "$PY" - "$D" "duckdb-$p" <<'EOF'
import json, sys
q = json.load(open(sys.argv[1]))["queries"][sys.argv[2]]
for c in q["ctes"][:6]:
    own = c["own_s"] + c["definition_s"]
    print(f"| `{c['cte']}` | {c['definition_s']:.1f} | {c['own_s']:.1f} | {100 * own / q['profiled_cpu_s']:.0f} % |")
EOF
done

# ---------------------------------------------------------------- Spark
((SPARK)) || exit 0
SIZE=$SPARK_SIZE
tables=$(normalized)
dir=$(court)
cat "$dir"/*.csv "$tables"/*.csv >/dev/null
"$Z" sql --dialect spark --ddl --load "$tables" >"$TMP/spark-load.sql"
queries=()
for p in "${periods[@]}"; do
    "$Z" sql --dialect spark --period "$p" >"$TMP/spark-$p.sql"
    queries+=("$TMP/spark-$p.sql")
done
echo "== Spark, $SIZE" >&2
read -r s_w s_rss < <(time_once spark "$PY" benches/sql.py spark "$TMP/spark-load.sql" "$SPARK_RUNS" "$TMP/spark-rows" "${queries[@]}")
S=$TMP/spark.out
for p in "${periods[@]}"; do
    read -r "e_w[$p]" "e_r[$p]" < <(best "eval-$p" "$Z" eval --data "$dir" --period "$p" --format json --output "$TMP/native-$SIZE-$p.json")
done
agree spark "$TMP/spark-rows" spark "$SIZE"
echo
echo "| $SIZE cases | wall (s) | peak RSS (MB) |"
echo "| --- | ---: | ---: |"
echo "| Spark $(json "$S" 'd["version"]') local[2]: the session's start | $(json "$S" '"%.2f" % d["start_s"]') | |"
echo "| Spark: the temporary views (\`sql --dialect spark --ddl --load\`) | $(json "$S" '"%.2f" % d["views_s"]') | |"
echo "| Spark: every view read in full (noop sink) | $(json "$S" '"%.2f" % d["read_all_s"]') | |"
for p in "${periods[@]}"; do
    echo "| Spark: the query for $p (best of $SPARK_RUNS) | $(json "$S" "'%.2f' % min(d['queries']['spark-$p']['runs_s'])") | |"
done
echo "| Spark, the whole process (start to stop) | $s_w | JVM $(mb "$(json "$S" 'd["jvm_hwm_kb"]')"), Python $(mb "$(json "$S" 'd["python_hwm_kb"]')"); GNU time's max RSS $(mb "$s_rss") |"
for p in "${periods[@]}"; do
    echo "| zhibiao eval $p, CSV folder | ${e_w[$p]} | $(mb "${e_r[$p]}") |"
done
for p in "${periods[@]}"; do
    echo
    echo "The Spark query for $p scans $(json "$S" "sum(d['queries']['spark-$p']['file_scans'].values())") files in its physical plan" \
        "($(json "$S" "', '.join(f'{t} ×{n}' for t, n in sorted(d['queries']['spark-$p']['file_scans'].items(), key=lambda kv: -kv[1]))");" \
        "$(json "$S" "d['queries']['spark-$p']['reused_exchanges']") reused exchanges)."
done
