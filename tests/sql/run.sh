#!/usr/bin/env bash
# The differential test of the SQL backend: the counts of every indicator part
# and department from `zhibiao eval` and from `zhibiao sql` run on real engines
# (DuckDB through its Python package, a throwaway PostgreSQL cluster), on
# examples/data, for a month, an ISO week and a quarter. Fails when any
# figure differs, and when an engine cannot be set up (never passes silently).
set -euo pipefail
cd "$(dirname "$0")/../.."

PERIODS=(2022-06 2022-W23 2022-Q2)
POLICY=policies
SCHEMA=policies/schema.yaml
DATA=examples/data
BIN=target/release/zhibiao
VENV=${ZHIBIAO_SQL_VENV:-target/sql-venv}

fail() { echo "sql differential: $*" >&2; exit 1; }

[ -x "$BIN" ] || cargo build --release --locked
WORK=$(mktemp -d)
PGDATA_DIR=""
PG_BIN=""
cleanup() {
  if [ -n "$PGDATA_DIR" ] && [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- Python and DuckDB
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || fail "cannot make a Python venv (install python3-venv)"
fi
if ! "$VENV/bin/python" -c 'import duckdb, yaml' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet duckdb pyyaml || fail "cannot install the duckdb and pyyaml packages"
fi
PY="$VENV/bin/python"
DIFF=tests/sql/differential.py

"$PY" "$DIFF" normalize "$SCHEMA" "$DATA" "$WORK/tables"
for p in "${PERIODS[@]}"; do
  "$BIN" eval --policy "$POLICY" --data "$DATA" --period "$p" --format json > "$WORK/native-$p.json"
done

"$BIN" sql --dialect duckdb --policy "$POLICY" --ddl > "$WORK/duckdb-ddl.sql"
for p in "${PERIODS[@]}"; do
  "$BIN" sql --dialect duckdb --policy "$POLICY" --period "$p" > "$WORK/duckdb-$p.sql"
  "$PY" "$DIFF" duckdb "$WORK/duckdb-ddl.sql" "$WORK/tables" "$WORK/duckdb-$p.sql" \
    "$WORK/native-$p.json" "duckdb $p"
done

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

"$BIN" sql --dialect postgres --policy "$POLICY" --ddl > "$WORK/pg-ddl.sql"
"${PSQL[@]}" -f "$WORK/pg-ddl.sql" || fail "the tables could not be created in PostgreSQL"
for f in "$WORK"/tables/*.csv; do
  t=$(basename "$f" .csv)
  "${PSQL[@]}" -c "\\copy \"$t\" FROM '$f' WITH (FORMAT csv, HEADER true)" \
    || fail "cannot load $f into PostgreSQL"
done
for p in "${PERIODS[@]}"; do
  "$BIN" sql --dialect postgres --policy "$POLICY" --period "$p" > "$WORK/pg-$p.sql"
  "${PSQL[@]}" --csv -f "$WORK/pg-$p.sql" > "$WORK/pg-$p.csv" \
    || fail "PostgreSQL could not run the query for $p"
  "$PY" "$DIFF" compare "$WORK/pg-$p.csv" "$WORK/native-$p.json" "postgres $p"
done
echo "sql differential: DuckDB and PostgreSQL agree with native eval on ${PERIODS[*]}"
