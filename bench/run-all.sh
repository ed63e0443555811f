#!/bin/sh
# Re-runs every scenario of docs/benchmarks.md with the exact commands recorded there, and collects the JSON
# summary line of each run into one file (one JSON object per line).
#
#   bench/run-all.sh [RESULTS_FILE]        default: bench/results-<UTC time>.jsonl
#
# Environment: DURATION (measured seconds, default 20), WARMUP (seconds, default 20), NATS_URL and REDIS_URL (the
# peers, defaults nats://127.0.0.1:4222 and redis://127.0.0.1:6379; set either to "" to skip it),
# NEXUS_JAVA_OPTS (the JVM flags of the servers the bench starts, as for bin/nexus serve).
# Run it on a quiet machine: the load generator and the server share the cores, and anything else running skews
# both. The micro-benchmarks are separate: bin/nexus bench micro (see docs/benchmarks.md).
set -eu

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
RESULTS=${1:-"$ROOT/bench/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl"}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-20}
NATS_URL=${NATS_URL-nats://127.0.0.1:4222}
REDIS_URL=${REDIS_URL-redis://127.0.0.1:6379}

FAILED=0

# runs one scenario; a failed run (errors, lost subscribers or deliveries) is reported, recorded, and the rest go on
run() {
    echo "+ bin/nexus bench $* --duration $DURATION --warmup $WARMUP" >&2
    if out=$("$ROOT/bin/nexus" bench "$@" --duration "$DURATION" --warmup "$WARMUP"); then
        echo "$out" >&2
    else
        echo "$out" >&2
        echo "run-all: 'bin/nexus bench $*' failed" >&2
        FAILED=$((FAILED + 1))
    fi
    case "$(echo "$out" | tail -n 1)" in
        "{"*) echo "$out" | tail -n 1 >>"$RESULTS" ;;
    esac
}

# runs a scenario side by side with each configured peer (or alone when none is)
compared() {
    ran=0
    for peer in "$NATS_URL" "$REDIS_URL"; do
        [ -n "$peer" ] || continue
        run "$@" --against "$peer"
        ran=1
    done
    [ "$ran" = 1 ] || run "$@"
}

echo "run-all: results in $RESULTS" >&2
for n in 1 10 100 1000; do
    compared fanout --subscribers "$n"
done
compared fanin --publishers 10
run fanin --publishers 10 --store sqlite
compared latency --rate 10000 --subscribers 10
run latency --rate 10000 --subscribers 10 --store sqlite --durability sync
run durable --modes sync,batch-async,off
run durable --modes sync,batch-async,off --rate 10000
run routing --small 10 --large 100000
run connections --sessions 10000
echo "run-all: done, $FAILED failed run(s); results in $RESULTS" >&2
[ "$FAILED" = 0 ]
