#!/usr/bin/env bash
# The 周通报's cost: `zhibiao report --trend 8` for a week against `eval` of
# that week, on the generated court (see BENCHMARKS.md).
#
#   benches/report.sh [--size 1m] [--runs 3] [--period 2022-W23]
#
# Uses (or generates, seed 7, as benches/run.sh does) target/bench-data/SIZE,
# warms the page cache, then times under GNU time, each --runs times (best
# wall time, largest peak RSS):
#
#   eval            zhibiao eval --period P --format json
#   report          zhibiao report --period P --trend 8 (HTML): the eight weeks,
#                   the week before and the same week last year (ten periods)
#                   in one pass, with the lists of records to fix
#   report, xlsx    the same as a workbook
#   report, trend 1 the week alone (with 环比 and 同比: three periods)
#
# Nothing here asserts a timing; the goal (report within 1.5× eval) is
# printed as met / not met.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
# shellcheck source=benches/common.sh
source benches/common.sh

SIZE=1m RUNS=3 PERIOD=2022-W23
while (($#)); do
    case $1 in
    --size) SIZE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --period) PERIOD=$2; shift 2 ;;
    *) echo "usage: benches/report.sh [--size 1m] [--runs 3] [--period 2022-W23]" >&2; exit 2 ;;
    esac
done
[[ -x /usr/bin/time ]] || { echo "error: needs GNU time (/usr/bin/time, Debian's \`time\`)" >&2; exit 1; }

cargo build --release --bins --examples >&2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp target/release/zhibiao target/release/examples/gen "$TMP/"
dir=$(court)
cat "$dir"/*.csv >/dev/null

Z=$TMP/zhibiao
read -r e_w e_r < <(best eval "$Z" eval --data "$dir" --period "$PERIOD" --format json --output "$TMP/e.json")
read -r r_w r_r < <(best report "$Z" report --data "$dir" --period "$PERIOD" --trend 8 --output "$TMP/r.html")
read -r x_w x_r < <(best xlsx "$Z" report --data "$dir" --period "$PERIOD" --trend 8 --output "$TMP/r.xlsx")
read -r o_w o_r < <(best one "$Z" report --data "$dir" --period "$PERIOD" --trend 1 --output "$TMP/o.html")
echo "| $SIZE cases, $PERIOD | wall (s) | × eval | peak RSS (MB) |"
echo "| --- | ---: | ---: | ---: |"
echo "| zhibiao eval | $e_w | 1.00 | $(mb "$e_r") |"
echo "| zhibiao report --trend 8 (HTML) | $r_w | $(x "$r_w" "$e_w") | $(mb "$r_r") |"
echo "| zhibiao report --trend 8 (XLSX) | $x_w | $(x "$x_w" "$e_w") | $(mb "$x_r") |"
echo "| zhibiao report --trend 1 | $o_w | $(x "$o_w" "$e_w") | $(mb "$o_r") |"
if awk -v a="$r_w" -v b="$e_w" 'BEGIN { exit !(a <= 1.5 * b) }'; then
    echo "goal (report --trend 8 within 1.5× eval): met"
else
    echo "goal (report --trend 8 within 1.5× eval): not met"
fi
