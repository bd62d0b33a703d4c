#!/usr/bin/env bash
# The zhibiao benchmark: one command, see BENCHMARKS.md.
#
#   benches/run.sh [--sizes 100k,1m] [--runs 2] [--policies jiading,quality]
#                  [--regen] [--no-duckdb] [--wait-idle]
#
# Two policies are measured (--policies, default both): the Jiading policy
# (policies/, below) and the 审判质量 policy (examples/quality, further below).
#
# Jiading: for each size (number of cases: 100k, 1m, or a plain number) it generates a
# court with the example generator (seed 7, 2022-04-01..2022-09-30) into
# target/bench-data/SIZE unless it is already there, warms the page cache, then
# times, each under GNU time (`/usr/bin/time -v`) for wall time and peak RSS:
#
#   parse-only    examples/parse_only.rs: every field of every table parsed with
#                 the engine's own reader and parse_field, no evaluation
#   zhibiao eval  the whole shipped policy for 2022-Q2, JSON to a file
#   duckdb load   CREATE TABLE t AS SELECT * FROM read_csv('t.csv') for every
#                 file, into an in-memory database (Python duckdb in a venv at
#                 target/bench-venv, installed with pip on first use)
#   check         zhibiao check policies (the shipped policy, no data)
#   explain       zhibiao explain --case ID for the case in the middle of cases.csv,
#                 and zhibiao explain services:ID for the send in the middle of
#                 services.csv (the send and its service item)
#
# Quality: for each size it generates a court with examples/gen_quality.rs
# (seed 7, filed 2023-01-01..2024-12-31) into target/bench-data/quality-SIZE
# unless it is already there, warms the page cache, then times:
#
#   parse-only    as above, with --schema examples/quality/schema.yaml
#   zhibiao eval  the whole of examples/quality for 2024, JSON to a file. Two of
#                 its indicators read another period (previous(), last_year()):
#                 eval reads the data once for 2024 and once more for each kind
#                 of other period named (twice more here, both for 2023)
#   eval, this period only
#                 a copy of the policy (in a temporary folder) without the
#                 indicators whose formula uses previous( or last_year(: the
#                 cost of the other periods is the difference
#   eval, + median
#                 that copy and one indicator more, `let m = median days(filed_at,
#                 closed_at) of cases by closed_at where 本院案件` (the policy has
#                 no median): what keeping every value of a median costs
#   explain       zhibiao explain --case ID for the case in the middle of cases.csv
#
# Each command runs --runs times (default 2): the best wall time and the largest
# peak RSS are reported. Rates use the same figures for all three: every row and
# every byte of every CSV file of the folder. MB = 10^6 bytes.
#
# Nothing here asserts a timing; the goals are printed as met / not met.

set -euo pipefail
export LC_ALL=C

usage() {
    cat <<'EOF'
usage: benches/run.sh [--sizes LIST] [--runs N] [--policies LIST] [--regen] [--no-duckdb]
                      [--wait-idle]
  --sizes LIST   comma-separated numbers of cases: 100k, 1m or plain numbers
                 (default 100k,1m)
  --runs N       runs of each measured command; best wall time, largest RSS
                 (default 2)
  --policies LIST
                 comma-separated: jiading (policies/, period 2022-Q2), quality
                 (examples/quality, period 2024); default jiading,quality
  --regen        generate the data again even when it is present
  --no-duckdb    do not measure DuckDB
  --wait-idle    before each run, wait (up to 2 minutes) until other processes
                 use less than 10% of the CPUs, and repeat (up to 3 times) a
                 run they disturbed anyway: for figures on a shared machine
EOF
}

SIZES="100k,1m"
RUNS=2
REGEN=0
DUCKDB=1
WAIT_IDLE=0
SEED=7
PERIOD="2022-Q2"
Q_PERIOD="2024"
Q_POLICY="examples/quality"
POLICIES="jiading,quality"
COMMAND_LINE="benches/run.sh${*:+ $*}"

while (($#)); do
    case "$1" in
    --sizes) SIZES="${2:?--sizes needs a value}"; shift 2 ;;
    --sizes=*) SIZES="${1#*=}"; shift ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --runs=*) RUNS="${1#*=}"; shift ;;
    --policies) POLICIES="${2:?--policies needs a value}"; shift 2 ;;
    --policies=*) POLICIES="${1#*=}"; shift ;;
    --regen) REGEN=1; shift ;;
    --no-duckdb) DUCKDB=0; shift ;;
    --wait-idle) WAIT_IDLE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "error: unknown argument \`$1\`" >&2; usage >&2; exit 2 ;;
    esac
done
if ! [[ $RUNS =~ ^[1-9][0-9]*$ ]]; then
    echo "error: --runs: \`$RUNS\` is not a positive integer" >&2
    exit 2
fi
DO_JIADING=0
DO_QUALITY=0
IFS=',' read -r -a POLICY_LIST <<<"$POLICIES"
for p in "${POLICY_LIST[@]}"; do
    case "$p" in
    jiading) DO_JIADING=1 ;;
    quality) DO_QUALITY=1 ;;
    *) echo "error: --policies: \`$p\` is not jiading or quality" >&2; exit 2 ;;
    esac
done
if ((DO_JIADING + DO_QUALITY == 0)); then
    echo "error: --policies: name jiading, quality or both" >&2
    exit 2
fi

# "100k" → 100000, "1m" → 1000000, "2500" → 2500.
cases_of() {
    local s="${1,,}"
    case "$s" in
    *k) [[ ${s%k} =~ ^[0-9]+$ ]] && echo $((10#${s%k} * 1000)) ;;
    *m) [[ ${s%m} =~ ^[0-9]+$ ]] && echo $((10#${s%m} * 1000000)) ;;
    *) [[ $s =~ ^[0-9]+$ ]] && echo $((10#$s)) ;;
    esac
}

IFS=',' read -r -a SIZE_LIST <<<"$SIZES"
for size in "${SIZE_LIST[@]}"; do
    if [[ -z "$(cases_of "$size" || true)" ]]; then
        echo "error: --sizes: \`$size\` is not a number of cases (100k, 1m, 2500)" >&2
        exit 2
    fi
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="target/bench-data"
VENV="target/bench-venv"
OUT_JSON="$BENCH/out.json"
RESULTS="$BENCH/results.md"
mkdir -p "$BENCH"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/zhibiao-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

note() { printf '%s\n' "$*" >&2; }

now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi
}

# ---------------------------------------------------------------- machine

CPU_MODEL="$( (lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1) || true)"
if [[ -z $CPU_MODEL ]]; then
    CPU_MODEL="$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1 || true)"
fi
NPROC="$(nproc)"
MEM_GB="$(awk '/^MemTotal:/ { printf "%.1f", $2 * 1024 / 1e9 }' /proc/meminfo 2>/dev/null || echo '?')"
RUSTC="$(rustc --version 2>/dev/null || echo '?')"

GNU_TIME=0
if [[ -x /usr/bin/time ]] && /usr/bin/time --version 2>&1 | grep -q GNU; then
    GNU_TIME=1
else
    note "note: GNU time (/usr/bin/time) not found — install it with \`apt-get install time\`;"
    note "      wall times come from bash, peak RSS is shown as n/a."
fi

# ---------------------------------------------------------------- build

note "== building (release)"
cargo build --release --bins --examples
# The commit the binaries were built from (and whether the tree differed from it).
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
DIRTY=""
if [[ -n "$(git status --porcelain -- src Cargo.toml Cargo.lock policies examples 2>/dev/null || true)" ]]; then
    DIRTY=" (with uncommitted changes under src/, Cargo.*, policies/, examples/)"
fi
# Measure copies, so a build running alongside cannot swap a binary mid-run.
mkdir -p "$TMP/bin"
cp target/release/zhibiao target/release/examples/gen target/release/examples/gen_quality \
    target/release/examples/parse_only "$TMP/bin/"
ZHIBIAO="$TMP/bin/zhibiao"
GEN="$TMP/bin/gen"
GEN_QUALITY="$TMP/bin/gen_quality"
PARSE_ONLY="$TMP/bin/parse_only"

# ---------------------------------------------------------------- duckdb

DUCK_PY=""
DUCK_VERSION=""
DUCK_NOTE=""
if ((!DO_JIADING)); then
    DUCKDB=0
    DUCK_NOTE="the Jiading policy not measured"
fi
if ((DUCKDB)); then
    if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
        note "== setting up DuckDB (python3 -m venv $VENV; pip install duckdb)"
        if ! command -v python3 >/dev/null; then
            DUCK_NOTE="python3 not found"
        elif ! python3 -m venv "$VENV" >"$TMP/venv.log" 2>&1; then
            DUCK_NOTE="python3 -m venv failed: $(tail -n1 "$TMP/venv.log")"
        elif ! "$VENV/bin/pip" install --quiet duckdb >"$TMP/pip.log" 2>&1; then
            DUCK_NOTE="pip install duckdb failed: $(tail -n1 "$TMP/pip.log")"
        fi
    fi
    if [[ -z $DUCK_NOTE ]]; then
        DUCK_PY="$VENV/bin/python"
        DUCK_VERSION="$("$DUCK_PY" -c 'import duckdb; print(duckdb.__version__)')"
    else
        note "note: DuckDB skipped — $DUCK_NOTE"
    fi
elif [[ -z $DUCK_NOTE ]]; then
    DUCK_NOTE="--no-duckdb"
fi

# Load every CSV file of a folder into its own table of an in-memory database.
# Prints {"rows": …, "tables": …, "seconds": …, "threads": …}.
# shellcheck disable=SC2016
DUCK_SNIPPET='
import json, os, sys, time
import duckdb
folder = sys.argv[1]
t0 = time.perf_counter()
con = duckdb.connect()  # in memory, all cores
rows = 0
files = sorted(f for f in os.listdir(folder) if f.endswith(".csv"))
for f in files:
    table = f[:-4]
    con.execute(f"CREATE TABLE \"{table}\" AS SELECT * FROM read_csv(?)", [os.path.join(folder, f)])
    rows += con.execute(f"SELECT count(*) FROM \"{table}\"").fetchone()[0]
threads = con.execute("SELECT current_setting(\x27threads\x27)").fetchone()[0]
print(json.dumps({"rows": rows, "tables": len(files),
                  "seconds": round(time.perf_counter() - t0, 3), "threads": threads}))
'

# ---------------------------------------------------------------- measuring

# busy_jiffies — CPU time spent by everything on the machine so far (not idle,
# not waiting for IO), in clock ticks; empty when /proc/stat is not there.
busy_jiffies() {
    [[ -r /proc/stat ]] || return 0
    awk 'NR == 1 { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6; exit }' /proc/stat
}
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# wait_idle — with --wait-idle, wait until the CPUs are less than 10% busy over
# a second (at most 2 minutes).
wait_idle() {
    ((WAIT_IDLE)) || return 0
    local deadline=$((SECONDS + 120)) a b waited=0
    while ((SECONDS < deadline)); do
        a="$(busy_jiffies)"
        sleep 1
        b="$(busy_jiffies)"
        [[ -n $a && -n $b ]] || return 0
        if (((b - a) * 100 < CLK_TCK * NPROC * 10)); then
            ((waited == 0)) || note "   (waited ${waited} s for the machine to be idle)"
            return 0
        fi
        waited=$((waited + 1))
    done
    note "   (the machine is still busy after 2 minutes; measuring anyway)"
}

# measure NAME CMD… — runs CMD $RUNS times; sets WALL (best, s), RSS_KB (largest,
# or empty), OTHERS (the share of the machine's CPU that other processes used
# during the best run, in %, or empty), STDOUT_FILE (the last run's stdout).
# Returns 1 when a run fails.
measure() {
    local name="$1"
    shift
    WALL=""
    RSS_KB=""
    OTHERS=""
    STDOUT_FILE="$TMP/$name.out"
    local i=0 clean=0 t0 t1 b0 b1 w rss rc cpu others
    # With --wait-idle a run that other processes disturbed (more than 10% of
    # the CPUs) does not count towards --runs; at most 3 such runs are added.
    local tries=$((WAIT_IDLE ? RUNS + 3 : RUNS))
    while ((clean < RUNS && i < tries)); do
        i=$((i + 1))
        wait_idle
        b0="$(busy_jiffies)"
        t0="$(now)"
        rc=0
        if ((GNU_TIME)); then
            /usr/bin/time -v -o "$TMP/$name.time" "$@" >"$STDOUT_FILE" 2>"$TMP/$name.err" || rc=$?
        else
            "$@" >"$STDOUT_FILE" 2>"$TMP/$name.err" || rc=$?
        fi
        t1="$(now)"
        b1="$(busy_jiffies)"
        if ((rc != 0)); then
            note "error: $name failed (exit $rc): $*"
            tail -n 20 "$TMP/$name.err" >&2 || true
            return 1
        fi
        w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
        rss="" others=""
        if ((GNU_TIME)); then
            rss="$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$TMP/$name.time")"
            if [[ -z $RSS_KB ]] || ((rss > RSS_KB)); then RSS_KB="$rss"; fi
            cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { print s + 0 }' "$TMP/$name.time")"
            if [[ -n $b0 && -n $b1 ]]; then
                others="$(awk -v b0="$b0" -v b1="$b1" -v hz="$CLK_TCK" -v cpu="$cpu" -v w="$w" -v n="$NPROC" \
                    'BEGIN { o = (b1 - b0) / hz - cpu; if (o < 0) o = 0; printf "%.0f", 100 * o / (w * n) }')"
            fi
        fi
        # (Under half a second the share is too coarse to judge: 10 ms ticks.)
        if [[ -z $others ]] || ((others <= 10)) || awk -v w="$w" 'BEGIN { exit !(w < 0.5) }'; then
            clean=$((clean + 1))
        fi
        if [[ -z $WALL ]] || awk -v a="$w" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then
            WALL="$w"
            OTHERS="$others"
        fi
        note "   $name run $i: ${w} s, peak RSS ${rss:-n/a} kB, other processes ${others:-?}% of the CPUs"
    done
    if [[ -n $OTHERS ]] && ((OTHERS > 10)) && awk -v w="$WALL" 'BEGIN { exit !(w >= 0.5) }'; then
        NOTES+=("size $size, $name: other processes used $OTHERS% of the CPUs during the best run; its figures are skewed")
    fi
}

json_field() { # json_field FILE KEY — a number from a one-line JSON object
    sed -n "s/.*\"$2\": *\([0-9.]*\).*/\1/p" "$1" | head -n1
}

fmt_rate() { # fmt_rate COUNT SECONDS — 4.05 M
    awk -v n="$1" -v s="$2" 'BEGIN { r = n / s;
        if (r >= 1e6) printf "%.2f M", r / 1e6; else if (r >= 1e3) printf "%.1f k", r / 1e3; else printf "%.0f", r }'
}
fmt_mbs() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }
fmt_rss() { if [[ -n $1 ]]; then awk -v k="$1" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }'; else echo "n/a"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
group() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

# ---------------------------------------------------------------- sizes

ROWS_TABLE=()  # markdown rows of the main table
RATIO_TABLE=() # markdown rows of the ratio table
ONE_TABLE=()   # markdown rows of check and explain
NOTES=()
Q_ROWS_TABLE=() # the quality policy's main table
Q_COST_TABLE=() # its other periods, median and explain

JIADING_SIZES=()
if ((DO_JIADING)); then JIADING_SIZES=("${SIZE_LIST[@]}"); fi
QUALITY_SIZES=()
if ((DO_QUALITY)); then QUALITY_SIZES=("${SIZE_LIST[@]}"); fi

for size in "${JIADING_SIZES[@]}"; do
    cases="$(cases_of "$size")"
    dir="$BENCH/$size"
    stamp="$dir/.generated"
    want="cases=$cases seed=$SEED"
    if ((REGEN)) || [[ ! -f $stamp ]] || [[ "$(cat "$stamp")" != "$want" ]]; then
        # Roughly 2.2 kB of CSV per case; ask for about three times that free.
        need_kb=$((cases * 6))
        free_kb="$(df -Pk "$BENCH" | awk 'NR == 2 { print $4 }')"
        if ((free_kb < need_kb)); then
            msg="size $size skipped: $((free_kb / 1000000)) GB free in $BENCH, want $((need_kb / 1000000)) GB"
            note "note: $msg"
            NOTES+=("$msg")
            continue
        fi
        note "== generating $size ($cases cases, seed $SEED) into $dir"
        rm -rf "$dir"
        "$GEN" --cases "$cases" --seed "$SEED" --out "$dir" >"$TMP/gen.log" 2>&1 || {
            cat "$TMP/gen.log" >&2
            exit 1
        }
        echo "$want" >"$stamp"
    else
        note "== $size: using the data already in $dir (--regen to generate it again)"
    fi

    bytes="$(find "$dir" -maxdepth 1 -name '*.csv' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
    mb="$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')"
    note "== $size: warming the page cache ($mb MB of CSV)"
    cat "$dir"/*.csv >/dev/null

    note "== $size: parse-only"
    measure parse_only "$PARSE_ONLY" --data "$dir"
    p_wall="$WALL" p_rss="$RSS_KB" p_oth="$OTHERS"
    rows="$(json_field "$STDOUT_FILE" rows)"
    p_errors="$(json_field "$STDOUT_FILE" errors)"
    if [[ $p_errors != 0 ]]; then
        NOTES+=("size $size: parse-only found $p_errors data errors")
    fi

    note "== $size: zhibiao eval --period $PERIOD"
    rm -f "$OUT_JSON"
    measure eval "$ZHIBIAO" eval --policy policies --data "$dir" --period "$PERIOD" \
        --format json --output "$OUT_JSON"
    e_wall="$WALL" e_rss="$RSS_KB" e_oth="$OTHERS"

    d_wall="" d_rss="" d_oth=""
    if [[ -n $DUCK_PY ]]; then
        note "== $size: duckdb load"
        if measure duckdb "$DUCK_PY" -c "$DUCK_SNIPPET" "$dir"; then
            d_wall="$WALL" d_rss="$RSS_KB" d_oth="$OTHERS"
            d_rows="$(json_field "$STDOUT_FILE" rows)"
            if [[ $d_rows != "$rows" ]]; then
                NOTES+=("size $size: DuckDB loaded $d_rows rows, parse-only read $rows")
            fi
        else
            NOTES+=("size $size: the DuckDB load failed")
        fi
    fi

    for m in parse-only eval duckdb; do
        case $m in
        parse-only) label="parse-only" w="$p_wall" r="$p_rss" o="$p_oth" ;;
        eval) label="zhibiao eval" w="$e_wall" r="$e_rss" o="$e_oth" ;;
        duckdb) label="duckdb load" w="$d_wall" r="$d_rss" o="$d_oth" ;;
        esac
        [[ -n $w ]] || continue
        ROWS_TABLE+=("| $size | $mb | $(group "$rows") | $label | $w | $(fmt_rate "$rows" "$w") | $(fmt_mbs "$bytes" "$w") | $(fmt_rss "$r") | ${o:-?} |")
    done

    ep="$(ratio "$e_wall" "$p_wall")"
    g1="$(awk -v r="$ep" 'BEGIN { print (r <= 1.4) ? "met" : "not met" }')"
    if [[ -n $d_wall ]]; then
        ed="$(ratio "$e_wall" "$d_wall")"
        g2="$(awk -v r="$ed" 'BEGIN { print (r < 1) ? "met" : "not met" }')"
    else
        ed="n/a" g2="n/a"
    fi
    if [[ -n $e_rss ]]; then
        g3="$(awk -v k="$e_rss" 'BEGIN { print (k * 1024 < 1e9) ? "met" : "not met" }')"
    else
        g3="n/a"
    fi
    RATIO_TABLE+=("| $size | $ep | $g1 | $ed | $g2 | $(fmt_rss "$e_rss") | $g3 |")

    # One case, as someone asking "why was this case (not) counted?" would.
    note "== $size: zhibiao check, zhibiao explain --case"
    measure check "$ZHIBIAO" check policies
    c_wall="$WALL"
    case_line=$(((cases + 1) / 2 + 1))
    case_id="$(sed -n "${case_line}p" "$dir/cases.csv" | cut -d, -f1)"
    x_wall="" x_rss=""
    if measure explain "$ZHIBIAO" explain --policy policies --data "$dir" --period "$PERIOD" \
        --case "$case_id"; then
        x_wall="$WALL" x_rss="$RSS_KB"
    fi
    send_line=$(($(wc -l <"$dir/services.csv") / 2 + 1))
    send_id="$(sed -n "${send_line}p" "$dir/services.csv" | cut -d, -f1)"
    r_wall=""
    if measure explain_record "$ZHIBIAO" explain --policy policies --data "$dir" \
        --period "$PERIOD" "services:$send_id"; then
        r_wall="$WALL"
    fi
    c_ms="$(awk -v w="$c_wall" 'BEGIN { printf "%.0f", w * 1000 }')"
    g4="$(awk -v w="$c_wall" 'BEGIN { print (w < 0.05) ? "met" : "not met" }')"
    g5="$(awk -v w="${x_wall:-99}" 'BEGIN { print (w <= 1) ? "met" : "not met" }')"
    ONE_TABLE+=("| $size | $c_ms | $g4 | \`$case_id\` | ${x_wall:-failed} | $g5 | $(fmt_rss "$x_rss") | \`services:$send_id\` | ${r_wall:-failed} |")
done

# ---------------------------------------------------------------- the quality policy

# Two copies of the policy in $TMP: without the indicators whose formula reads
# another period (an indicator block runs from `indicator` to a `}` at the start
# of a line), and that copy with a median.
Q_SAME="$TMP/quality-same-period"
Q_MEDIAN="$TMP/quality-median"
if ((DO_QUALITY)); then
    mkdir -p "$Q_SAME" "$Q_MEDIAN"
    cp "$Q_POLICY/schema.yaml" "$Q_SAME/"
    for f in "$Q_POLICY"/*.zb; do
        awk '
            /^indicator / { inb = 1; buf = ""; drop = 0 }
            inb { buf = buf $0 "\n"; if ($0 ~ /previous\(|last_year\(/) drop = 1
                  if ($0 ~ /^}/) { if (!drop) printf "%s", buf; inb = 0 }
                  next }
            { print }' "$f" >"$Q_SAME/$(basename "$f")"
    done
    Q_DROPPED="$(comm -23 <(sed -n 's/^indicator \([^ ]*\).*/\1/p' "$Q_POLICY"/*.zb | sort) \
        <(sed -n 's/^indicator \([^ ]*\).*/\1/p' "$Q_SAME"/*.zb | sort) | paste -sd, - | sed 's/,/, /g')"
    cp "$Q_SAME"/* "$Q_MEDIAN/"
    # (The .zb files of a folder are one policy: the median goes into the first.)
    cat >>"$(ls "$Q_MEDIAN"/*.zb | head -n1)" <<'ZB'
indicator 审理天数中位数 "审理天数中位数（基准）" {
  let m = median days(filed_at, closed_at) of cases by closed_at where 本院案件
  value = m
  unit days
}
ZB
    for p in "$Q_POLICY" "$Q_SAME" "$Q_MEDIAN"; do
        "$ZHIBIAO" check "$p" >"$TMP/qcheck.log" 2>&1 || {
            note "error: zhibiao check $p failed"
            cat "$TMP/qcheck.log" >&2
            exit 1
        }
    done
fi

for size in "${QUALITY_SIZES[@]}"; do
    cases="$(cases_of "$size")"
    dir="$BENCH/quality-$size"
    stamp="$dir/.generated"
    want="quality cases=$cases seed=$SEED"
    if ((REGEN)) || [[ ! -f $stamp ]] || [[ "$(cat "$stamp")" != "$want" ]]; then
        # Roughly 125 bytes of CSV per case; ask for about three times that free.
        need_kb=$((cases * 4 / 10))
        free_kb="$(df -Pk "$BENCH" | awk 'NR == 2 { print $4 }')"
        if ((free_kb < need_kb)); then
            msg="quality size $size skipped: $((free_kb / 1000)) MB free in $BENCH, want $((need_kb / 1000)) MB"
            note "note: $msg"
            NOTES+=("$msg")
            continue
        fi
        note "== generating quality-$size ($cases cases, seed $SEED) into $dir"
        rm -rf "$dir"
        "$GEN_QUALITY" --cases "$cases" --seed "$SEED" --out "$dir" >"$TMP/gen.log" 2>&1 || {
            cat "$TMP/gen.log" >&2
            exit 1
        }
        echo "$want" >"$stamp"
    else
        note "== quality-$size: using the data already in $dir (--regen to generate it again)"
    fi

    bytes="$(find "$dir" -maxdepth 1 -name '*.csv' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
    mb="$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')"
    note "== quality-$size: warming the page cache ($mb MB of CSV)"
    cat "$dir"/*.csv >/dev/null

    note "== quality-$size: parse-only"
    measure q_parse_only "$PARSE_ONLY" --data "$dir" --schema "$Q_POLICY/schema.yaml"
    p_wall="$WALL" p_rss="$RSS_KB" p_oth="$OTHERS"
    rows="$(json_field "$STDOUT_FILE" rows)"
    p_errors="$(json_field "$STDOUT_FILE" errors)"
    if [[ $p_errors != 0 ]]; then
        NOTES+=("quality size $size: parse-only found $p_errors data errors")
    fi

    note "== quality-$size: zhibiao eval --period $Q_PERIOD (this period, and the others named)"
    measure q_eval "$ZHIBIAO" eval --policy "$Q_POLICY" --data "$dir" --period "$Q_PERIOD" \
        --format json --output "$TMP/q-out.json"
    e_wall="$WALL" e_rss="$RSS_KB" e_oth="$OTHERS"
    note "== quality-$size: zhibiao eval, without $Q_DROPPED (this period only)"
    measure q_eval_same "$ZHIBIAO" eval --policy "$Q_SAME" --data "$dir" --period "$Q_PERIOD" \
        --format json --output "$TMP/q-out-same.json"
    s_wall="$WALL" s_rss="$RSS_KB" s_oth="$OTHERS"
    note "== quality-$size: zhibiao eval, this period only + a median"
    measure q_eval_median "$ZHIBIAO" eval --policy "$Q_MEDIAN" --data "$dir" --period "$Q_PERIOD" \
        --format json --output "$TMP/q-out-median.json"
    m_wall="$WALL" m_rss="$RSS_KB" m_oth="$OTHERS"

    for m in parse-only eval same median; do
        case $m in
        parse-only) label="parse-only" w="$p_wall" r="$p_rss" o="$p_oth" ;;
        eval) label="zhibiao eval (2024 and the other periods)" w="$e_wall" r="$e_rss" o="$e_oth" ;;
        same) label="eval, 2024 only (without $Q_DROPPED)" w="$s_wall" r="$s_rss" o="$s_oth" ;;
        median) label="eval, 2024 only + a median" w="$m_wall" r="$m_rss" o="$m_oth" ;;
        esac
        [[ -n $w ]] || continue
        Q_ROWS_TABLE+=("| $size | $mb | $(group "$rows") | $label | $w | $(fmt_rate "$rows" "$w") | $(fmt_mbs "$bytes" "$w") | $(fmt_rss "$r") | ${o:-?} |")
    done

    note "== quality-$size: zhibiao explain --case"
    case_line=$(((cases + 1) / 2 + 1))
    case_id="$(sed -n "${case_line}p" "$dir/cases.csv" | cut -d, -f1)"
    x_wall="" x_rss=""
    if measure q_explain "$ZHIBIAO" explain --policy "$Q_POLICY" --data "$dir" --period "$Q_PERIOD" \
        --case "$case_id"; then
        x_wall="$WALL" x_rss="$RSS_KB"
    fi

    other_s="$(awk -v a="$e_wall" -v b="$s_wall" 'BEGIN { printf "%.3f", a - b }')"
    median_s="$(awk -v a="$m_wall" -v b="$s_wall" 'BEGIN { printf "%.3f", a - b }')"
    median_mb="$(awk -v a="${m_rss:-0}" -v b="${s_rss:-0}" 'BEGIN { d = (a - b) * 1024 / 1e6; printf "%.0f", (d > -0.5 && d < 0.5) ? 0 : d }')"
    [[ -n $m_rss && -n $s_rss ]] || median_mb="n/a"
    Q_COST_TABLE+=("| $size | $(ratio "$e_wall" "$p_wall") | $(ratio "$s_wall" "$p_wall") | $other_s | $median_s | $median_mb | $(fmt_rss "$e_rss") | \`$case_id\` | ${x_wall:-failed} | $(fmt_rss "$x_rss") |")
done

# ---------------------------------------------------------------- report

{
    echo "Machine: nproc $NPROC, ${CPU_MODEL:-unknown CPU}, $MEM_GB GB RAM, $(uname -sr)"
    echo "Commit: $COMMIT$DIRTY; $RUSTC; DuckDB ${DUCK_VERSION:-not measured${DUCK_NOTE:+ ($DUCK_NOTE)}}"
    echo "Command: $COMMAND_LINE  (runs per command: $RUNS, best wall time, largest peak RSS)"
    if ((DO_JIADING)); then
    echo
    echo "Jiading policy (policies/), period $PERIOD:"
    echo
    echo "| size | CSV MB | rows | measured | wall s | rows/s | MB/s | peak RSS MB | others' CPU % |"
    echo "|---|--:|--:|---|--:|--:|--:|--:|--:|"
    if ((${#ROWS_TABLE[@]})); then printf '%s\n' "${ROWS_TABLE[@]}"; fi
    echo
    echo "others' CPU %: the share of the machine's CPUs other processes used during the best run (0 = a quiet machine)."
    echo
    echo "| size | eval / parse-only | ≤ 1.4× | eval / duckdb load | < 1× | eval peak RSS MB | < 1 GB |"
    echo "|---|--:|---|--:|---|--:|---|"
    if ((${#RATIO_TABLE[@]})); then printf '%s\n' "${RATIO_TABLE[@]}"; fi
    echo
    echo "| size | check ms | < 50 ms | explain --case | explain s | ≤ 1 s | explain peak RSS MB | explain a record | explain s |"
    echo "|---|--:|---|---|--:|---|--:|---|--:|"
    if ((${#ONE_TABLE[@]})); then printf '%s\n' "${ONE_TABLE[@]}"; fi
    fi
    if ((DO_QUALITY)); then
    echo
    echo "审判质量 policy ($Q_POLICY), period $Q_PERIOD; its other periods: previous() and last_year(),"
    echo "each other period evaluated once (a year's previous period is last year), for the named indicators:"
    echo
    echo "| size | CSV MB | rows | measured | wall s | rows/s | MB/s | peak RSS MB | others' CPU % |"
    echo "|---|--:|--:|---|--:|--:|--:|--:|--:|"
    if ((${#Q_ROWS_TABLE[@]})); then printf '%s\n' "${Q_ROWS_TABLE[@]}"; fi
    echo
    echo "| size | eval / parse-only | 2024 only / parse-only | other periods s | median s | median RSS MB | eval peak RSS MB | explain --case | explain s | explain peak RSS MB |"
    echo "|---|--:|--:|--:|--:|--:|--:|---|--:|--:|"
    if ((${#Q_COST_TABLE[@]})); then printf '%s\n' "${Q_COST_TABLE[@]}"; fi
    echo
    echo "other periods: eval minus eval without ${Q_DROPPED:-them}; median: the added median's wall time and peak RSS over that."
    fi
    if ((${#NOTES[@]})); then
        echo
        printf 'Note: %s\n' "${NOTES[@]}"
    fi
} | tee "$RESULTS"
note ""
note "(also written to $RESULTS)"
