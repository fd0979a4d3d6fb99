#!/usr/bin/env bash
# Masking throughput: cxr4j (bench/MaskBench.java) vs a Pillow + numpy peer (bench/mask_peer.py),
# run interleaved in the same session, for 1 and 2 threads/processes. Prints a table with the
# ratios (java img/s / python img/s) and writes bench/out/mask_bench.json.
#
# usage: bench/run_mask_bench.sh [DATASET]     (default /work/shared/datasets/v7-cxr)
# env:   REPEAT=3        timed passes per configuration (after one warm-up pass)
#        THREADS="1 2"   configurations
#        PROFILE=1       also run the single-thread per-stage profiles and the output cross-check
#        MAX_LOAD=0.5    before each run, wait until the 1-minute load average is below this ...
#        MAX_WAIT=300    ... for at most this many seconds (then run anyway; the load is recorded)
#
# Needs: the fat jar target/cxr4j.jar (built separately; this script compiles only MaskBench.java)
# and the venv bench/.venv:  python3 -m venv bench/.venv && bench/.venv/bin/pip install pillow numpy
set -euo pipefail
cd "$(dirname "$0")/.."

DATASET=${1:-/work/shared/datasets/v7-cxr}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-"1 2"}
PROFILE=${PROFILE:-1}
MAX_LOAD=${MAX_LOAD:-0.5}
MAX_WAIT=${MAX_WAIT:-300}
JAR=target/cxr4j.jar
PY=bench/.venv/bin/python
OUT=bench/out
mkdir -p "$OUT/classes"

for i in $(seq 1 10); do [ -f "$JAR" ] && break; echo "waiting for $JAR ..." >&2; sleep 30; done
[ -f "$JAR" ] || { echo "missing $JAR (build it with ./mvnw package)" >&2; exit 1; }
[ -x "$PY" ] || { echo "missing $PY: python3 -m venv bench/.venv && bench/.venv/bin/pip install pillow numpy" >&2; exit 1; }

javac -cp "$JAR" -d "$OUT/classes" bench/MaskBench.java
JAVA=(java -cp "$JAR:$OUT/classes" MaskBench "$DATASET")
JAR_SHA=$(sha256sum "$JAR" | cut -c1-16)

load1() { cut -d' ' -f1 /proc/loadavg; }
wait_quiet() {
  local waited=0
  while [ "$waited" -lt "$MAX_WAIT" ]; do
    awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }' && return 0
    echo "load $(load1) >= $MAX_LOAD, waiting 15 s ..." >&2
    sleep 15; waited=$((waited + 15))
  done
  echo "load still $(load1); running anyway (noted in the results)" >&2
}

RES="$OUT/mask_bench.lines"
: > "$RES"
record() { # record LABEL CMD...: runs CMD, stores {"label","load_before","load_after","result"}
  local label=$1; shift
  wait_quiet
  local before; before=$(load1)
  echo ">> $label (load $before): $*" >&2
  local line; line=$("$@" | tail -n 1)
  echo "$line" >&2
  printf '{"label":"%s","load_before":%s,"load_after":%s,"result":%s}\n' "$label" "$before" "$(load1)" "$line" >> "$RES"
}

echo "uptime at start: $(uptime)" >&2
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for t in $THREADS; do
  record "java_t$t" "${JAVA[@]}" --threads "$t" --repeat "$REPEAT"
  record "python_t$t" "$PY" bench/mask_peer.py "$DATASET" --threads "$t" --repeat "$REPEAT"
done
if [ "$PROFILE" = 1 ]; then
  record java_profile "${JAVA[@]}" --profile --repeat 1
  record python_profile "$PY" bench/mask_peer.py "$DATASET" --profile --repeat 1
  "${JAVA[@]}" --dump "$OUT/java_dump.bin" --every 10 >/dev/null
  record compare "$PY" bench/mask_peer.py "$DATASET" --compare "$OUT/java_dump.bin"
fi
echo "uptime at end: $(uptime)" >&2

MACHINE=$(printf '%s | %s cpus | %s | mem %s' "$(lscpu | grep 'Model name' | sed 's/.*: *//')" "$(nproc)" \
  "$(java -version 2>&1 | head -n 1)" "$(free -h | awk '/^Mem:/ {print $2}')")

"$PY" - "$RES" "$OUT/mask_bench.json" "$START" "$JAR_SHA" "$MACHINE" "$REPEAT" "$DATASET" <<'EOF'
import json, sys
res_path, out_path, start, jar_sha, machine, repeat, dataset = sys.argv[1:]
rows = [json.loads(l) for l in open(res_path)]
by = {r["label"]: r for r in rows}
threads = sorted({int(k.split("_t")[1]) for k in by if "_t" in k})
table = []
print()
print(f"{'threads':>7} | {'java img/s':>10} | {'python img/s':>12} | {'ratio java/python':>17} | load before (java, python)")
print("-" * 80)
for t in threads:
    j, p = by[f"java_t{t}"], by[f"python_t{t}"]
    ji, pi = j["result"]["images_per_s"], p["result"]["images_per_s"]
    ratio = ji / pi
    table.append({"threads": t, "java_images_per_s": ji, "python_images_per_s": pi, "ratio": round(ratio, 3),
                  "java_passes": j["result"]["pass_images_per_s"], "python_passes": p["result"]["pass_images_per_s"],
                  "load_before": [j["load_before"], p["load_before"]]})
    print(f"{t:>7} | {ji:>10.1f} | {pi:>12.1f} | {ratio:>17.2f} | {j['load_before']}, {p['load_before']}")
goal = all(r["ratio"] >= 3 for r in table)
print(f"\ngoal (java >= 3x python img/s): {'MET' if goal else 'NOT MET'}")
if "java_profile" in by and "python_profile" in by:
    jp, pp = by["java_profile"]["result"]["ms_per_image"], by["python_profile"]["result"]["ms_per_image"]
    print(f"\n{'ms/image (1 thread)':>20} | {'java':>7} | {'python':>7} | java/python")
    for k in jp:
        print(f"{k:>20} | {jp[k]:>7.3f} | {pp[k]:>7.3f} | {jp[k] / pp[k]:.2f}")
if "compare" in by:
    print("\ncross-check (every 10th image):", json.dumps(by["compare"]["result"]))
json.dump({"benchmark": "mask_throughput", "started_utc": start, "dataset": dataset, "repeat": int(repeat),
           "jar_sha256_16": jar_sha, "machine": machine, "table": table, "goal_3x_met": goal, "runs": rows},
          open(out_path, "w"), indent=1)
print(f"\nwrote {out_path}")
EOF
