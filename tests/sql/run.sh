#!/usr/bin/env bash
# The differential test of the SQL backend: the counts of every indicator part
# and department from `zhibiao eval` and from `zhibiao sql` run on real engines
# (DuckDB through its Python package, a throwaway PostgreSQL cluster, Spark in
# local mode through pyspark; the whole reports of `eval --counts` and `eval
# --engine postgres` against native eval's), for a
# month, an ISO week and a quarter, on the shipped policy over examples/data
# on the quality policy over examples/quality/data, and on the shipped policy
# over a generated court of 20,000 cases (awkward field forms included); and
# every policy test case's data, each for its own period; the records `sql
# --list` lists for every indicator against `explain --indicator` (every
# record, and one department's excluded ones); and the database as a
# data source (tests/sql/source.sh: `eval`/`explain --data postgres://…` against
# the CSV folder, and its errors). Fails when any figure differs, and when an
# engine cannot be set up (never passes silently).
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=$(mktemp -d)
GEN="$WORK/court_20k"
# suite: name, policy, schema, data, periods
SUITES=(
  "jiading|policies|policies/schema.yaml|examples/data|2022-06 2022-W23 2022-Q2"
  "court_20k|policies|policies/schema.yaml|$GEN|2022-06 2022-W23 2022-Q2"
  "quality|examples/quality|examples/quality/schema.yaml|examples/quality/data|2024-06 2024-W23 2024-Q2"
  "keys|tests/fixtures/keys/policy.zb|tests/fixtures/keys/schema.yaml|tests/fixtures/keys/data|2024-01 2024-W02 2024-Q1"
)
# Keys DuckDB alone writes as natively (a decimal's six places): PostgreSQL
# and Spark refuse them, naming the construct.
DUCKDB_SUITES=(
  "decimal|tests/fixtures/keys/decimal.zb|tests/fixtures/keys/schema.yaml|tests/fixtures/keys/data|2024-01 2024-Q1"
)
BIN=target/release/zhibiao
VENV=${ZHIBIAO_SQL_VENV:-target/sql-venv}

fail() { echo "sql differential: $*" >&2; exit 1; }

[ -x "$BIN" ] || cargo build --release --locked
PGDATA_DIR=""
PG_BIN=""
cleanup() {
  if [ -n "$PGDATA_DIR" ] && [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cargo run --release --locked --quiet --example gen -- --cases 20000 --seed 14 --out "$GEN" \
  >"$WORK/gen.log" 2>&1 || { cat "$WORK/gen.log" >&2; fail "cannot generate the 20k-case court"; }

# ---------------------------------------------------------------- Python and DuckDB
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || fail "cannot make a Python venv (install python3-venv)"
fi
if ! "$VENV/bin/python" -c 'import duckdb, yaml' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet duckdb pyyaml || fail "cannot install the duckdb and pyyaml packages"
fi
PY="$VENV/bin/python"
DIFF=tests/sql/differential.py

# list_queries NAME POLICY DATA PERIOD DIALECT [--department D --outcome O]:
# the `sql --list` query of every indicator that counts records of its own,
# into $WORK/NAME/lists-DIALECT-PERIOD/, and (once) native explain's every
# record of each into $WORK/NAME/native-lists-PERIOD/. An indicator computed
# from others only must be refused as such.
list_queries() {
  local name=$1 policy=$2 data=$3 p=$4 dialect=$5 c
  shift 5
  local q="$WORK/$name/lists-$dialect-$p" native="$WORK/$name/native-lists-$p"
  mkdir -p "$q"
  local fresh=0
  [ -d "$native" ] || { mkdir -p "$native"; fresh=1; }
  for c in $("$PY" -c 'import json, sys; print(" ".join(i["indicator"] for i in json.load(open(sys.argv[1]))["indicators"]))' \
      "$WORK/$name/native-$p.json"); do
    if "$BIN" sql --lang en --dialect "$dialect" --policy "$policy" --period "$p" --list "$c" "$@" \
        > "$q/$c.sql" 2> "$WORK/list.err"; then
      if [ $fresh = 1 ]; then
        "$BIN" explain --lang en --policy "$policy" --data "$data" --period "$p" \
          --indicator "$c" --format json > "$native/$c.json" || fail "explain --indicator $c failed for $name $p"
      fi
    else
      grep -q 'counts no records of its own' "$WORK/list.err" \
        || fail "sql --list $c failed for $name $p: $(cat "$WORK/list.err")"
      rm -f "$q/$c.sql"
    fi
  done
}

for suite in "${SUITES[@]}" "${DUCKDB_SUITES[@]}"; do
  IFS='|' read -r name policy schema data periods <<< "$suite"
  mkdir -p "$WORK/$name"
  "$PY" "$DIFF" normalize "$schema" "$data" "$WORK/$name/tables"
  # The tables and their load from the CSV folder (`--ddl --load`).
  "$BIN" sql --dialect duckdb --policy "$policy" --ddl --load "$WORK/$name/tables" > "$WORK/$name/duckdb-ddl.sql"
  for p in $periods; do
    "$BIN" eval --policy "$policy" --data "$data" --period "$p" --format json > "$WORK/$name/native-$p.json"
    "$BIN" sql --dialect duckdb --policy "$policy" --period "$p" > "$WORK/$name/duckdb-$p.sql"
    "$PY" "$DIFF" duckdb "$WORK/$name/duckdb-ddl.sql" "$WORK/$name/tables" "$WORK/$name/duckdb-$p.sql" \
      "$WORK/$name/native-$p.json" "duckdb $name $p"
    # The whole report from the rows DuckDB returned (and those of the other
    # periods the query's header names), through `eval --counts`.
    queries=("$WORK/$name/duckdb-$p.sql")
    for o in $(sed -n 's/^-- formulas also read the period \([^:]*\):.*/\1/p' "$WORK/$name/duckdb-$p.sql"); do
      "$BIN" sql --dialect duckdb --policy "$policy" --period "$o" > "$WORK/$name/duckdb-$p-$o.sql"
      queries+=("$WORK/$name/duckdb-$p-$o.sql")
    done
    "$PY" "$DIFF" rows "$WORK/$name/duckdb-ddl.sql" "$WORK/$name/tables" "$WORK/$name/duckdb-$p.jsonl" "${queries[@]}"
    "$BIN" eval --policy "$policy" --counts "$WORK/$name/duckdb-$p.jsonl" --period "$p" --format json \
      > "$WORK/$name/counts-duckdb-$p.json" || fail "eval --counts failed for duckdb $name $p"
    "$PY" "$DIFF" reports "$WORK/$name/native-$p.json" "$WORK/$name/counts-duckdb-$p.json" "eval --counts (duckdb) $name $p"
  done
  # Every record of every indicator for the month (one department's
  # excluded ones on the generated court), listed by `sql --list`.
  p=${periods%% *}
  filter=()
  [ "$name" = court_20k ] && filter=(--department 民事庭 --outcome excluded)
  list_queries "$name" "$policy" "$data" "$p" duckdb "${filter[@]}"
  "$PY" "$DIFF" rows "$WORK/$name/duckdb-ddl.sql" "$WORK/$name/tables" "$WORK/$name/lists-duckdb-$p.jsonl" \
    "$WORK/$name/lists-duckdb-$p"/*.sql
  "$PY" "$DIFF" lists "$WORK/$name/native-lists-$p" "sql --list (duckdb) $name $p" "${filter[@]}" \
    "$WORK/$name/lists-duckdb-$p.jsonl"
done

for suite in "${DUCKDB_SUITES[@]}"; do
  IFS='|' read -r name policy schema data periods <<< "$suite"
  for dialect in postgres spark; do
    if "$BIN" sql --lang en --dialect "$dialect" --policy "$policy" --period "${periods%% *}" \
        > /dev/null 2> "$WORK/refused.txt"; then
      fail "$dialect wrote the query of $name, which it cannot write as natively"
    fi
    grep -q "cannot be compiled to SQL ($dialect)" "$WORK/refused.txt" \
      || fail "$dialect's refusal of $name does not name the construct: $(cat "$WORK/refused.txt")"
  done
done

# Every policy test's data (small courts written to hit each rule's edges).
CASES="$WORK/cases"
"$BIN" test policies/tests examples/quality/tests examples/amendments/tests \
  tests/fixtures/derived/tests tests/fixtures/keys/tests --write-data "$CASES" >/dev/null
"$PY" "$DIFF" cases duckdb "$CASES" "$BIN"
# And those DuckDB alone writes.
"$BIN" test tests/fixtures/keys/decimal-tests --write-data "$WORK/cases-duckdb" >/dev/null
"$PY" "$DIFF" cases duckdb "$WORK/cases-duckdb" "$BIN"

# ---------------------------------------------------------------- PostgreSQL
find_pg() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
}
PG_BIN=$(find_pg || true)
if [ -z "$PG_BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # A fresh machine's package lists may be empty or stale.
    apt-get update -qq >/dev/null || fail "cannot update the package lists (apt-get update)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
      || fail "cannot install postgresql with apt-get"
    PG_BIN=$(find_pg || true)
  fi
  [ -n "$PG_BIN" ] || fail "no PostgreSQL server (initdb) found; install the postgresql package"
fi
# The server refuses to run as root: run it as the postgres user then.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_pg() { runuser -u postgres -- "$@"; }
  chown postgres "$WORK"
else
  as_pg() { "$@"; }
fi
chmod 755 "$WORK"
PGDATA_DIR="$WORK/pg"
SOCK="$WORK/sock"
mkdir -p "$SOCK" "$PGDATA_DIR"
[ "$(id -u)" = 0 ] && chown postgres "$SOCK" "$PGDATA_DIR"
PORT=${ZHIBIAO_SQL_PG_PORT:-54329}
as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U zhibiao --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
  || fail "initdb failed"
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$WORK/pg.log" -w \
  -o "-p $PORT -k $SOCK -c listen_addresses=''" start >/dev/null \
  || { cat "$WORK/pg.log" >&2; fail "the PostgreSQL server did not start"; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao -d postgres)
# The server as zhibiao names it: the socket's folder as the host, percent-encoded.
PG_URL="postgres://zhibiao@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$SOCK"):$PORT"

for suite in "${SUITES[@]}"; do
  IFS='|' read -r name policy schema data periods <<< "$suite"
  db="zb_$name"
  "${PSQL[@]}" -c "CREATE DATABASE $db" || fail "cannot create a database"
  PSQL_DB=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao -d "$db")
  # The tables and their load from the CSV folder (`--ddl --load`: psql's \copy).
  "$BIN" sql --dialect postgres --policy "$policy" --ddl --load "$WORK/$name/tables" > "$WORK/$name/pg-ddl.sql"
  "${PSQL_DB[@]}" -f "$WORK/$name/pg-ddl.sql" || fail "the tables could not be created and loaded in PostgreSQL"
  for p in $periods; do
    "$BIN" sql --dialect postgres --policy "$policy" --period "$p" > "$WORK/$name/pg-$p.sql"
    "${PSQL_DB[@]}" --csv -f "$WORK/$name/pg-$p.sql" > "$WORK/$name/pg-$p.csv" \
      || fail "PostgreSQL could not run the query for $name $p"
    "$PY" "$DIFF" compare "$WORK/$name/pg-$p.csv" "$WORK/$name/native-$p.json" "postgres $name $p"
    # The whole report with the query run on the server by zhibiao itself.
    "$BIN" eval --policy "$policy" --engine postgres --data "$PG_URL/$db" --period "$p" --format json \
      > "$WORK/$name/engine-pg-$p.json" || fail "eval --engine postgres failed for $name $p"
    "$PY" "$DIFF" reports "$WORK/$name/native-$p.json" "$WORK/$name/engine-pg-$p.json" "eval --engine postgres $name $p"
  done
  p=${periods%% *}
  filter=()
  [ "$name" = court_20k ] && filter=(--department 民事庭 --outcome excluded)
  list_queries "$name" "$policy" "$data" "$p" postgres "${filter[@]}"
  for q in "$WORK/$name/lists-postgres-$p"/*.sql; do
    "${PSQL_DB[@]}" --csv -f "$q" > "${q%.sql}.csv" || fail "PostgreSQL could not run $q"
  done
  "$PY" "$DIFF" lists "$WORK/$name/native-lists-$p" "sql --list (postgres) $name $p" "${filter[@]}" \
    "$WORK/$name/lists-postgres-$p"/*.csv
done
# A table under another name and schema, a column under another name: read
# through --table and --column, the same report.
PSQL_J=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao -d zb_jiading)
"${PSQL_J[@]}" -c 'CREATE SCHEMA ods; CREATE TABLE ods.t_hearings AS SELECT * FROM hearings;
  ALTER TABLE ods.t_hearings RENAME COLUMN mode TO ktfs;' \
  || fail "cannot copy the hearings table in PostgreSQL"
"$BIN" eval --engine postgres --data "$PG_URL/zb_jiading" --period 2022-06 --format json \
  --table hearings=ods.t_hearings --column hearings.mode=ktfs > "$WORK/jiading/engine-pg-mapped.json" \
  || fail "eval --engine postgres with --table and --column failed"
"$PY" "$DIFF" reports "$WORK/jiading/native-2022-06.json" "$WORK/jiading/engine-pg-mapped.json" \
  "eval --engine postgres, tables and columns mapped"
# Without the mapping the server's refusal is exit 3, in the server's words.
set +e
"$BIN" eval --engine postgres --data "$PG_URL/zb_jiading" --period 2022-06 --table hearings=ods.nowhere \
  > /dev/null 2> "$WORK/refused.txt"
code=$?
set -e
[ "$code" = 3 ] || fail "a table the server does not have: exit $code, not 3"
grep -q 'relation "ods.nowhere" does not exist' "$WORK/refused.txt" \
  || fail "a table the server does not have is not named: $(cat "$WORK/refused.txt")"
"${PSQL_J[@]}" -c 'DROP SCHEMA ods CASCADE' || fail "cannot drop the copy of hearings"
"${PSQL[@]}" -c "CREATE DATABASE zb_cases" || fail "cannot create a database"
"$PY" "$DIFF" cases postgres "$CASES" "$BIN" \
  psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao -d zb_cases
# ---------------------------------------------------------------- Spark (local mode)
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # A fresh machine's package lists may be empty or stale.
    apt-get update -qq >/dev/null || fail "cannot update the package lists (apt-get update)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless >/dev/null \
      || fail "cannot install Java (openjdk-17-jre-headless) for Spark"
  fi
  command -v java >/dev/null 2>&1 || fail "Spark needs Java: install a JRE (17)"
fi
if ! "$PY" -c 'import pyspark' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet pyspark || fail "cannot install the pyspark package"
fi
for suite in "${SUITES[@]}"; do
  IFS='|' read -r name policy schema data periods <<< "$suite"
  # The tables as temporary views over the CSV folder (the --ddl --load statements).
  "$BIN" sql --dialect spark --policy "$policy" --ddl --load "$WORK/$name/tables" > "$WORK/$name/spark-load.sql"
  queries=()
  for p in $periods; do
    "$BIN" sql --dialect spark --policy "$policy" --period "$p" > "$WORK/$name/spark-$p.sql"
    queries+=("$WORK/$name/spark-$p.sql")
    for o in $(sed -n 's/^-- formulas also read the period \([^:]*\):.*/\1/p' "$WORK/$name/spark-$p.sql"); do
      [ -f "$WORK/$name/spark-$o.sql" ] && continue
      "$BIN" sql --dialect spark --policy "$policy" --period "$o" > "$WORK/$name/spark-$o.sql"
      queries+=("$WORK/$name/spark-$o.sql")
    done
  done
  # And the records of every indicator for the month (jiading and quality).
  p=${periods%% *}
  if [ "$name" != court_20k ]; then
    list_queries "$name" "$policy" "$data" "$p" spark
    queries+=("$WORK/$name/lists-spark-$p"/*.sql)
  fi
  "$PY" tests/sql/spark.py "$WORK/$name/spark-load.sql" "$WORK/$name/spark-rows" "${queries[@]}" \
    || fail "Spark could not run the queries of $name"
  if [ "$name" != court_20k ]; then
    lists=()
    for q in "$WORK/$name/lists-spark-$p"/*.sql; do
      lists+=("$WORK/$name/spark-rows/$(basename "${q%.sql}").jsonl")
    done
    "$PY" "$DIFF" lists "$WORK/$name/native-lists-$p" "sql --list (spark) $name $p" "${lists[@]}"
  fi
  for p in $periods; do
    rows="$WORK/$name/spark-rows-$p.jsonl"
    cat "$WORK/$name/spark-rows/spark-$p.jsonl" > "$rows"
    for o in $(sed -n 's/^-- formulas also read the period \([^:]*\):.*/\1/p' "$WORK/$name/spark-$p.sql"); do
      cat "$WORK/$name/spark-rows/spark-$o.jsonl" >> "$rows"
    done
    "$BIN" eval --policy "$policy" --counts "$rows" --period "$p" --format json \
      > "$WORK/$name/counts-spark-$p.json" || fail "eval --counts failed for spark $name $p"
    "$PY" "$DIFF" reports "$WORK/$name/native-$p.json" "$WORK/$name/counts-spark-$p.json" "spark $name $p"
  done
done
# The database as a data source: eval and explain on zb_jiading as on examples/data.
tests/sql/source.sh "$BIN" "$SOCK" "$PORT" "$WORK"
echo "sql differential: DuckDB, PostgreSQL and Spark agree with native eval"
