#!/usr/bin/env bash
# The cost of reading a court from a workbook and from a database, each
# against a baseline of just reading that source (see BENCHMARKS.md).
#
#   benches/sources.sh [--size 100k] [--runs 3] [--period 2022-Q2]
#
# Uses (or generates, seed 7, as benches/run.sh does) target/bench-data/SIZE,
# then times under GNU time, each --runs times (best wall time, largest peak
# RSS of the command itself; the database server's memory is not counted):
#
#   eval, CSV folder       zhibiao eval --data DIR (for reference)
#   eval, one workbook     zhibiao eval --data SIZE.xlsx: every table a sheet of one
#                          workbook (examples/workbook.rs write; text cells)
#   calamine read          examples/workbook.rs read: every cell of every sheet
#                          read with calamine, nothing else
#   eval, PostgreSQL       zhibiao eval --data postgres://…: the tables loaded into a
#                          throwaway cluster (typed, from the normalized CSV files,
#                          by `zhibiao sql --ddl --load`)
#   COPY … TO              psql's \copy (SELECT * FROM t) TO /dev/null for every table
#   eval --engine postgres the generated SQL run on the same server
#
# Nothing here asserts a timing.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

SIZE=100k RUNS=3 PERIOD=2022-Q2
while (($#)); do
    case $1 in
    --size) SIZE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --period) PERIOD=$2; shift 2 ;;
    *) echo "usage: benches/sources.sh [--size 100k] [--runs 3] [--period 2022-Q2]" >&2; exit 2 ;;
    esac
done
[[ -x /usr/bin/time ]] || { echo "error: needs GNU time (/usr/bin/time, Debian's \`time\`)" >&2; exit 1; }

cargo build --release --bins --examples >&2
TMP=$(mktemp -d)
PGDATA_DIR=""
as_pg() { "$@"; }
cleanup() {
    if [[ -n $PGDATA_DIR && -f $PGDATA_DIR/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
cp target/release/zhibiao target/release/examples/gen target/release/examples/workbook "$TMP/"
dir=$(court)
book=target/bench-data/$SIZE.xlsx
if [[ ! -f $book || $dir/.generated -nt $book ]]; then
    echo "== writing $book" >&2
    "$TMP/workbook" write "$dir" "$book"
fi
cat "$dir"/*.csv "$book" >/dev/null


Z=$TMP/zhibiao
read -r c_w c_r < <(best csv "$Z" eval --data "$dir" --period "$PERIOD" --format json --output "$TMP/c.json")
read -r b_w b_r < <(best book "$Z" eval --data "$book" --period "$PERIOD" --format json --output "$TMP/b.json")
read -r k_w k_r < <(best calamine "$TMP/workbook" read "$book")
# The workbook gives the figures the folder gives.
python3 - "$TMP/c.json" "$TMP/b.json" <<'EOF' || { echo "error: the workbook's figures differ" >&2; exit 1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["indicators"] == b["indicators"] else 1)
EOF

# ------------------------------------------------------------ PostgreSQL
find_pg() {
    local d
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir
        return
    fi
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x $d/initdb ]] && { echo "$d"; return; }
    done
}
PG_BIN=$(find_pg || true)
[[ -n $PG_BIN ]] || { echo "error: no PostgreSQL server (initdb); install the postgresql package" >&2; exit 1; }
if [[ $(id -u) = 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    as_pg() { runuser -u postgres -- "$@"; }
    chown postgres "$TMP"
fi
chmod 755 "$TMP"
PGDATA_DIR=$TMP/pg
SOCK=$TMP/sock
mkdir -p "$SOCK" "$PGDATA_DIR"
[[ $(id -u) = 0 ]] && chown postgres "$SOCK" "$PGDATA_DIR"
PORT=${ZHIBIAO_BENCH_PG_PORT:-54339}
as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U zhibiao --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$TMP/pg.log" -w \
    -o "-p $PORT -k $SOCK -c listen_addresses='' -c shared_buffers=512MB" start >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE court"
VENV=target/bench-venv
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import yaml' 2>/dev/null || "$VENV/bin/pip" install --quiet pyyaml
echo "== loading $SIZE into PostgreSQL" >&2
"$VENV/bin/python" tests/sql/differential.py normalize policies/schema.yaml "$dir" "$TMP/norm"
[[ $(id -u) = 0 ]] && chown -R postgres "$TMP/norm"
"$Z" sql --dialect postgres --ddl --load "$TMP/norm" >"$TMP/load.sql"
"${PSQL[@]}" -d court -f "$TMP/load.sql"
"${PSQL[@]}" -d court -c "VACUUM ANALYZE"
URL="postgres://zhibiao@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$SOCK"):$PORT/court"
copy_all() {
    local t
    for t in $("${PSQL[@]}" -d court -At -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"); do
        "${PSQL[@]}" -d court -c "\\copy (SELECT * FROM \"$t\") TO '/dev/null'"
    done
}
export -f copy_all
export PSQL_LINE="${PSQL[*]}"
read -r p_w p_r < <(best pg "$Z" eval --data "$URL" --period "$PERIOD" --format json --output "$TMP/p.json")
read -r y_w y_r < <(best copy bash -c 'PSQL=($PSQL_LINE); copy_all')
read -r s_w s_r < <(best engine "$Z" eval --engine postgres --data "$URL" --period "$PERIOD" --format json --output "$TMP/s.json")
python3 - "$TMP/c.json" "$TMP/p.json" <<'EOF' || { echo "error: the database's figures differ" >&2; exit 1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a["indicators"] == b["indicators"] else 1)
EOF

size_of() { du -sb "$@" | awk '{ s += $1 } END { printf "%.0f", s / 1e6 }'; }
echo "| $SIZE cases, $PERIOD | wall (s) | × its baseline | peak RSS (MB) |"
echo "| --- | ---: | ---: | ---: |"
echo "| zhibiao eval, CSV folder ($(size_of "$dir") MB) | $c_w | | $(mb "$c_r") |"
echo "| zhibiao eval, one workbook ($(size_of "$book") MB) | $b_w | $(x "$b_w" "$k_w") | $(mb "$b_r") |"
echo "| calamine: every cell of every sheet | $k_w | 1.00 | $(mb "$k_r") |"
echo "| zhibiao eval, PostgreSQL | $p_w | $(x "$p_w" "$y_w") | $(mb "$p_r") |"
echo "| psql \\copy … TO of every table | $y_w | 1.00 | $(mb "$y_r") |"
echo "| zhibiao eval --engine postgres (the SQL on the server) | $s_w | | $(mb "$s_r") |"
