#!/usr/bin/env bash
# The differential test of the SQL backend: the counts of every indicator part
# and department from `zhibiao eval` and from `zhibiao sql` run on real engines
# (DuckDB through its Python package, a throwaway PostgreSQL cluster), for a
# month, an ISO week and a quarter, on the shipped policy over examples/data
# on the quality policy over examples/quality/data, and on the shipped policy
# over a generated court of 20,000 cases (awkward field forms included); and
# every policy test case's data, each for its own period; and the database as a
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

for suite in "${SUITES[@]}"; do
  IFS='|' read -r name policy schema data periods <<< "$suite"
  mkdir -p "$WORK/$name"
  "$PY" "$DIFF" normalize "$schema" "$data" "$WORK/$name/tables"
  "$BIN" sql --dialect duckdb --policy "$policy" --ddl > "$WORK/$name/duckdb-ddl.sql"
  for p in $periods; do
    "$BIN" eval --policy "$policy" --data "$data" --period "$p" --format json > "$WORK/$name/native-$p.json"
    "$BIN" sql --dialect duckdb --policy "$policy" --period "$p" > "$WORK/$name/duckdb-$p.sql"
    "$PY" "$DIFF" duckdb "$WORK/$name/duckdb-ddl.sql" "$WORK/$name/tables" "$WORK/$name/duckdb-$p.sql" \
      "$WORK/$name/native-$p.json" "duckdb $name $p"
  done
done

# Every policy test's data (small courts written to hit each rule's edges).
CASES="$WORK/cases"
"$BIN" test policies/tests examples/quality/tests examples/amendments/tests \
  tests/fixtures/derived/tests --write-data "$CASES" >/dev/null
"$PY" "$DIFF" cases duckdb "$CASES" "$BIN"

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

for suite in "${SUITES[@]}"; do
  IFS='|' read -r name policy schema data periods <<< "$suite"
  db="zb_$name"
  "${PSQL[@]}" -c "CREATE DATABASE $db" || fail "cannot create a database"
  PSQL_DB=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao -d "$db")
  "$BIN" sql --dialect postgres --policy "$policy" --ddl > "$WORK/$name/pg-ddl.sql"
  "${PSQL_DB[@]}" -f "$WORK/$name/pg-ddl.sql" || fail "the tables could not be created in PostgreSQL"
  for f in "$WORK/$name"/tables/*.csv; do
    t=$(basename "$f" .csv)
    "${PSQL_DB[@]}" -c "\\copy \"$t\" FROM '$f' WITH (FORMAT csv, HEADER true)" \
      || fail "cannot load $f into PostgreSQL"
  done
  for p in $periods; do
    "$BIN" sql --dialect postgres --policy "$policy" --period "$p" > "$WORK/$name/pg-$p.sql"
    "${PSQL_DB[@]}" --csv -f "$WORK/$name/pg-$p.sql" > "$WORK/$name/pg-$p.csv" \
      || fail "PostgreSQL could not run the query for $name $p"
    "$PY" "$DIFF" compare "$WORK/$name/pg-$p.csv" "$WORK/$name/native-$p.json" "postgres $name $p"
  done
done
"${PSQL[@]}" -c "CREATE DATABASE zb_cases" || fail "cannot create a database"
"$PY" "$DIFF" cases postgres "$CASES" "$BIN" \
  psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao -d zb_cases
# The database as a data source: eval and explain on zb_jiading as on examples/data.
tests/sql/source.sh "$BIN" "$SOCK" "$PORT" "$WORK"
echo "sql differential: DuckDB and PostgreSQL agree with native eval"
