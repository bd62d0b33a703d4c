#!/usr/bin/env bash
# Run each fuzz target for SECONDS (default 60) and print, per target, the
# executions, the coverage libFuzzer reached (cov: edges, ft: features) and
# the crashes found. Exits non-zero when a target crashed.
#
#   fuzz/run.sh                 # every target, 60 s each
#   fuzz/run.sh 600 csv_eval    # one target, 10 minutes
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). It uses nightly-only flags of
# rustc; on a stable toolchain RUSTC_BOOTSTRAP=1 (set here) allows them.
# The corpus grows in fuzz/corpus/TARGET (kept between runs, not committed);
# the seeds are rebuilt each run in fuzz/seeds/TARGET from the repository's
# policies, fixtures, schemas, policy tests and fuzz/data; crashes land in
# fuzz/artifacts/TARGET; each run's log is fuzz/logs/TARGET.log.
set -u
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse_check schema_yaml test_yaml csv_eval xlsx_eval)
export RUSTC_BOOTSTRAP=1
mkdir -p logs
# libFuzzer processes per target (FUZZ_JOBS, default 1).
jobs=${FUZZ_JOBS:-1}

seed() {
    local t=$1 dir=seeds/$1
    rm -rf "$dir"
    mkdir -p "$dir" "corpus/$t"
    case $t in
    parse_check)
        for f in ../policies/*.zb ../examples/quality/*.zb ../examples/amendments/*.zb \
            ../tests/fixtures/*/*.zb ../tests/fixtures/fuzz/parse_check/*; do
            [ -f "$f" ] && cp "$f" "$dir/$(echo "${f#../}" | tr / _)"
        done ;;
    schema_yaml)
        for f in ../policies/schema.yaml ../examples/quality/schema.yaml \
            ../tests/fixtures/derived/schema.yaml ../tests/fixtures/fuzz/schema_yaml/*; do
            [ -f "$f" ] && cp "$f" "$dir/$(echo "${f#../}" | tr / _)"
        done ;;
    test_yaml)
        for f in ../policies/tests/*.yaml ../examples/*/tests/*.yaml \
            ../tests/fixtures/derived/tests/*.yaml ../tests/fixtures/fuzz/test_yaml/*; do
            [ -f "$f" ] && cp "$f" "$dir/$(echo "${f#../}" | tr / _)"
        done ;;
    csv_eval | xlsx_eval)
        # The first byte picks the table (the files of fuzz/data, sorted);
        # for xlsx_eval a second byte 0 asks for its CSV text written into a
        # workbook cell by cell.
        local i=0 extra=""
        [ "$t" = xlsx_eval ] && extra='\000'
        for f in $(ls data | LC_ALL=C sort); do
            { printf "\\$(printf '%03o' "$i")$extra"; cat "data/$f"; } >"$dir/$f"
            i=$((i + 1))
        done
        for f in ../tests/fixtures/fuzz/"$t"/*; do
            [ -f "$f" ] && cp "$f" "$dir/"
        done ;;
    esac
}

cargo fuzz build -O --debug-assertions -s none >logs/build.log 2>&1 || { tail -n 20 logs/build.log; exit 2; }
status=0
summary=()
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "artifacts/$t"
    before=$(ls "artifacts/$t" | wc -l)
    start=$(date +%s)
    par=()
    [ "$jobs" -gt 1 ] && par=(-jobs="$jobs" -workers="$jobs")
    cargo fuzz run -O --debug-assertions -s none "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
        "${par[@]}" -print_final_stats=1 >"logs/$t.log" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    # With -jobs the workers log to fuzz-N.log; gather them.
    ls fuzz-*.log >/dev/null 2>&1 && { cat fuzz-*.log >>"logs/$t.log"; rm -f fuzz-*.log; }
    execs=$(grep -h 'stat::number_of_executed_units' "logs/$t.log" | awk '{s += $2} END {print s + 0}')
    last=$(grep -hE '^#[0-9]+.*cov: ' "logs/$t.log" | tail -n 1)
    cov=$(echo "$last" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
    ft=$(echo "$last" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
    crashes=$(($(ls "artifacts/$t" | wc -l) - before))
    if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        status=1
        grep -hE 'panicked at|ERROR: libFuzzer|SUMMARY' "logs/$t.log" | head -n 5
    fi
    summary+=("$(printf '%-12s %6ss %12s execs  cov %6s  ft %7s  crashes %s' \
        "$t" "$took" "$execs" "${cov:-?}" "${ft:-?}" "$crashes")")
done
printf '%s\n' "${summary[@]}"
exit $status
