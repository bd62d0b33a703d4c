#!/usr/bin/env bash
# PostgreSQL as a data source (`--data postgres://…`), on the throwaway server
# tests/sql/run.sh starts, with the example court loaded as the database
# zb_jiading: eval gives the figures of `--data examples/data` for several
# periods (whole JSON reports compared), explain gives the same outcomes for
# whole cases and single records, and a missing table, missing columns, a bad
# value and a refused connection are exit 3 with their exact messages. Fails
# when anything differs.
#
#   tests/sql/source.sh BIN SOCKET_DIR PORT WORK
#
# The server is reached on its Unix socket: the socket's folder, percent-encoded,
# is the URL's host.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=$1
SOCK=$2
PORT=$3
WORK=$4/source
mkdir -p "$WORK"

fail() { echo "postgres source: $*" >&2; exit 1; }

host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$SOCK")
URL="postgres://zhibiao@$host:$PORT/zb_jiading"
PSQL=(env PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U zhibiao)

# ------------------------------------------------------------ the same figures
for p in 2022-06 2022-05 2022-W23 2022-Q2 2022-H1; do
  for threads in 1 2; do
    "$BIN" eval --data examples/data --period "$p" --threads "$threads" --format json \
      > "$WORK/csv-$p-$threads.json" || fail "eval on examples/data for $p failed"
    "$BIN" eval --data "$URL" --period "$p" --threads "$threads" --format json \
      > "$WORK/pg-$p-$threads.json" || fail "eval on $URL for $p failed"
    diff -u "$WORK/csv-$p-$threads.json" "$WORK/pg-$p-$threads.json" >&2 \
      || fail "eval for $p ($threads threads): the database gives other figures than the CSV folder"
  done
done
# `postgresql://` and the socket folder as a query parameter name the same database.
"$BIN" eval --data "postgresql://zhibiao@localhost/zb_jiading?host=$SOCK&port=$PORT" \
  --period 2022-06 --threads 1 --format json > "$WORK/pg-query-form.json" \
  || fail "eval with the socket as a query parameter failed"
cmp -s "$WORK/csv-2022-06-1.json" "$WORK/pg-query-form.json" \
  || fail "the socket as a query parameter gives other figures"

# ------------------------------------------------------------ the same outcomes
# A row's line is its file's line in CSV and its place in the rows read from a
# database: outcomes are compared without it.
unlined() { sed -E 's/ \((line|行) [0-9]+\)//; s/"line": [0-9]+/"line": 0/'; }
cases=$(python3 - <<'EOF'
import csv
rows = list(csv.DictReader(open("examples/data/cases.csv", encoding="utf-8")))
# the first case, two from the middle, the last
picks = [rows[0], rows[len(rows) // 3], rows[len(rows) // 2], rows[-1]]
print("\n".join(r["case_id"] for r in picks))
EOF
)
[ -n "$cases" ] || fail "no case to explain"
n=0
while IFS= read -r c; do
  n=$((n + 1))
  for fmt in human json; do
    "$BIN" explain --case "$c" --period 2022-06 --format "$fmt" --data examples/data \
      | unlined > "$WORK/explain-csv-$n.$fmt" || fail "explain --case $c on examples/data failed"
    "$BIN" explain --case "$c" --period 2022-06 --format "$fmt" --data "$URL" \
      | unlined > "$WORK/explain-pg-$n.$fmt" || fail "explain --case $c on the database failed"
    [ -s "$WORK/explain-csv-$n.$fmt" ] || fail "explain --case $c said nothing"
    diff -u "$WORK/explain-csv-$n.$fmt" "$WORK/explain-pg-$n.$fmt" >&2 \
      || fail "explain --case $c ($fmt): the database gives other outcomes"
  done
done <<< "$cases"
for record in "hearings:$(sed -n 2p examples/data/hearings.csv | cut -d, -f1)" \
              "documents:$(sed -n 40p examples/data/documents.csv | cut -d, -f1)"; do
  "$BIN" explain "$record" --period 2022-06 --data examples/data | unlined > "$WORK/record-csv.txt" \
    || fail "explain $record on examples/data failed"
  "$BIN" explain "$record" --period 2022-06 --data "$URL" | unlined > "$WORK/record-pg.txt" \
    || fail "explain $record on the database failed"
  diff -u "$WORK/record-csv.txt" "$WORK/record-pg.txt" >&2 \
    || fail "explain $record: the database gives other outcomes"
done

# ------------------------------------------------------------ coverage and diff
# Rule coverage over the data, and what an amendment changes in the figures and
# records, read from the database as from the folder.
"$BIN" coverage --data examples/data --period 2022-Q2 --format json > "$WORK/coverage-csv.json" \
  || fail "coverage on examples/data failed"
"$BIN" coverage --data "$URL" --period 2022-Q2 --format json > "$WORK/coverage-pg.json" \
  || fail "coverage on $URL failed"
unlined < "$WORK/coverage-csv.json" > "$WORK/coverage-csv.u"
unlined < "$WORK/coverage-pg.json" > "$WORK/coverage-pg.u"
diff -u "$WORK/coverage-csv.u" "$WORK/coverage-pg.u" >&2 \
  || fail "coverage: the database gives other results than the CSV folder"
for fmt in human json; do
  "$BIN" diff policies/jiading-2022.zb examples/amendments/jiading-2023-hc3.zb \
    --data examples/data --period 2022-06 --format "$fmt" > "$WORK/diff-csv.$fmt" \
    || fail "diff --data examples/data failed"
  "$BIN" diff policies/jiading-2022.zb examples/amendments/jiading-2023-hc3.zb \
    --data "$URL" --period 2022-06 --format "$fmt" > "$WORK/diff-pg.$fmt" \
    || fail "diff --data $URL failed"
  # The human text names the data it compared on: the same name for both.
  unlined < "$WORK/diff-csv.$fmt" > "$WORK/diff-csv.u"
  unlined < "$WORK/diff-pg.$fmt" | sed "s|$URL|examples/data|" > "$WORK/diff-pg.u"
  diff -u "$WORK/diff-csv.u" "$WORK/diff-pg.u" >&2 \
    || fail "diff --data ($fmt): the database gives other changes than the CSV folder"
done

# ------------------------------------------------------------ errors, exit 3
# expect NAME CODE EXPECTED_STDERR -- ARGS…
expect() {
  local name=$1 code=$2 want=$3
  shift 4
  local got status=0
  got=$("$BIN" "$@" 2>&1 >/dev/null) || status=$?
  [ "$status" = "$code" ] || fail "$name: exit $status, not $code:
$got"
  [ "$got" = "$want" ] || fail "$name: the message differs:
--- expected
$want
--- got
$got"
}

"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS zb_source_broken" \
  -c "CREATE DATABASE zb_source_broken TEMPLATE zb_jiading" || fail "cannot copy zb_jiading"
"${PSQL[@]}" -d zb_source_broken \
  -c "ALTER TABLE hearings RENAME TO hearing" \
  -c "ALTER TABLE documents RENAME COLUMN e_sealed TO sealed" \
  -c "ALTER TABLE documents RENAME COLUMN doc_type TO type" || fail "cannot break zb_source_broken"
BROKEN="postgres://zhibiao@$host:$PORT/zb_source_broken"
expect "a missing table and missing columns" 3 "error: 2 data error(s) in \`$BROKEN\`:
  documents: columns are missing from the database table \`documents\`: \`doc_type\` (the table has \`type\`), \`e_sealed\` (the table has \`sealed\`)
  hearings: the database \`$BROKEN\` has no table \`hearings\` (it has \`hearing\`); name it with \`--table hearings=SCHEMA.TABLE\`
help: fix the export or the schema: a table that cannot be read is never left out" \
  -- --lang en eval --data "$BROKEN" --period 2022-06
expect "a missing table, in Chinese" 3 "错误：\`$BROKEN\` 中有 2 处数据错误：
  documents: 数据库表 \`documents\` 缺少列：\`doc_type\`（该表有 \`type\`）、\`e_sealed\`（该表有 \`sealed\`）
  hearings: 数据库 \`$BROKEN\` 中没有表 \`hearings\`（它有 \`hearing\`）；可用 \`--table hearings=模式.表名\` 指定
提示：请修正导出文件或 schema：无法读取的表不会被剔除" \
  -- --lang zh eval --data "$BROKEN" --period 2022-06
# The table and the columns under the names the database gives them
# (`--table`, `--column`, the mapping the SQL backend reads too): the
# figures are back.
"$BIN" eval --data "$BROKEN" --table hearings=public.hearing --column documents.e_sealed=sealed \
  --column 'documents.doc_type="type"' --period 2022-06 --threads 1 --format json \
  > "$WORK/pg-mapped-columns.json" || fail "eval with --table and --column failed"
cmp -s "$WORK/csv-2022-06-1.json" "$WORK/pg-mapped-columns.json" \
  || fail "tables and columns read under their database names give other figures"
expect "a column mapping that names no column" 2 "error: table \`documents\` has no column \`e_seal\` (in \`--column\`)
help: did you mean \`e_sealed\`?" \
  -- --lang en eval --data "$BROKEN" --column documents.e_seal=sealed --period 2022-06
# The table under the name the database gives it, its columns renamed back.
"${PSQL[@]}" -d zb_source_broken \
  -c "ALTER TABLE documents RENAME COLUMN sealed TO e_sealed" \
  -c "ALTER TABLE documents RENAME COLUMN type TO doc_type" || fail "cannot mend zb_source_broken"
"$BIN" eval --data "$BROKEN" --table hearings=public.hearing --period 2022-06 --threads 1 \
  --format json > "$WORK/pg-mapped.json" || fail "eval with --table hearings=public.hearing failed"
cmp -s "$WORK/csv-2022-06-1.json" "$WORK/pg-mapped.json" \
  || fail "a table read under its database name gives other figures"

# A bad value, a reference to a missing row and a duplicate key: named by table, key and column.
"${PSQL[@]}" -d zb_source_broken \
  -c "UPDATE hearing SET status = '已开' WHERE hearing_id = (SELECT min(hearing_id) FROM hearing)" \
  -c "UPDATE documents SET case_id = 'no-such-case' WHERE doc_id = (SELECT min(doc_id) FROM documents)" \
  || fail "cannot spoil zb_source_broken"
h=$("${PSQL[@]}" -d zb_source_broken -At -c "SELECT min(hearing_id) FROM hearing")
d=$("${PSQL[@]}" -d zb_source_broken -At -c "SELECT min(doc_id) FROM documents")
expect "values named by table, key and column" 3 "error: 2 data error(s) in \`$BROKEN\`:
  documents[$d].case_id: \`no-such-case\` is not a row of \`cases\`
  public.hearing[$h].status: \`已开\` is not one of the values of \`status\`: 已开庭, 取消, 未按时开庭
help: fix the export, or run with \`--lenient\` to leave those rows out with the reason shown" \
  -- --lang en eval --data "$BROKEN" --table hearings=public.hearing --period 2022-06

expect "a refused connection" 3 "error: cannot connect to \`postgres://zhibiao@127.0.0.1:1/zb_jiading\`: error connecting to server: Connection refused (os error 111)
help: check that the server runs and takes connections at that host and port, and the user, password and database name" \
  -- --lang en eval --data "postgres://zhibiao:secret@127.0.0.1:1/zb_jiading" --period 2022-06
expect "a database that does not exist" 3 "error: cannot connect to \`postgres://zhibiao@$host:$PORT/zb_none\`: database \"zb_none\" does not exist
help: check that the server runs and takes connections at that host and port, and the user, password and database name" \
  -- --lang en eval --data "postgres://zhibiao@$host:$PORT/zb_none" --period 2022-06

"${PSQL[@]}" -d postgres -c "DROP DATABASE zb_source_broken" || fail "cannot drop zb_source_broken"
echo "postgres source: eval, explain, coverage and diff on PostgreSQL agree with the CSV folder; errors are exit 3"
