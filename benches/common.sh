# What benches/report.sh and benches/sources.sh share (sourced, not run):
# the size as a number of cases, the generated court, and the best of runs.
# Expects SIZE, RUNS and TMP set, and the binaries copied into $TMP.

# The number of cases SIZE names: 100k, 1m or a plain number.
cases_of() {
    case ${1,,} in
    *k) echo $((10#${1%[kK]} * 1000)) ;;
    *m) echo $((10#${1%[mM]} * 1000000)) ;;
    *) echo "$1" ;;
    esac
}

# The generated court of SIZE cases (seed 7, as benches/run.sh makes it) in
# target/bench-data/SIZE, generated when missing or of another size; prints
# its folder.
court() {
    local dir=target/bench-data/$SIZE want
    want="cases=$(cases_of "$SIZE") seed=7"
    if [[ ! -f $dir/.generated || "$(cat "$dir/.generated")" != "$want" ]]; then
        echo "== generating $SIZE ($want) into $dir" >&2
        rm -rf "$dir"
        "$TMP/gen" --cases "$(cases_of "$SIZE")" --seed 7 --out "$dir" >"$TMP/gen.log" 2>&1
        echo "$want" >"$dir/.generated"
    fi
    echo "$dir"
}

# best NAME CMD…: run CMD RUNS times under GNU time; prints "wall rss_kb",
# the best wall time and the largest peak RSS.
best() {
    local name=$1 w rss bw="" brss=0
    shift
    for ((i = 1; i <= RUNS; i++)); do
        /usr/bin/time -v -o "$TMP/$name.time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || {
            cat "$TMP/$name.err" >&2; exit 1; }
        w=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$TMP/$name.time" |
            awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$TMP/$name.time")
        echo "   $name run $i: $w s, $rss kB" >&2
        if [[ -z $bw ]] || awk -v a="$w" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$w; fi
        ((rss > brss)) && brss=$rss
    done
    echo "$bw $brss"
}

mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }'; }
x() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
