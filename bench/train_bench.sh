#!/usr/bin/env bash
# Training throughput (images/s) and single-image predict latency (p50/p95) of cxr4j (bench/TrainBench.java:
# NetTrainer.step / Net.forward) against the same network in Python PyTorch (bench/train_peer.py), on the same
# masked 224x224 inputs, batch, threads and labels, run interleaved in the same session for 1 and 2 threads.
# Prints a table with the ratios and writes bench/out/train_bench.json.
#
# usage: bench/train_bench.sh [STEPS [CALLS]]   timed training steps (default 20) and predict calls (default 100)
#        quick check:  bench/train_bench.sh 3 10
# env:   THREADS="1 2"    thread counts (intra-op; inter-op is 1 on both sides)
#        ROUNDS=1         java,python pairs per thread count; with more, the table shows medians over rounds
#        BATCH=32  SEED=7  WARMUP_STEPS=5  WARMUP_CALLS=10
#        SPLIT=5          extra steps timed phase by phase after the timed ones (0: off; never in the throughput)
#        CHECK=1          first check the architecture: cxr4j's parameters loaded into the PyTorch network
#                         must give the same logits and batch-norm statistics (aborts on a mismatch)
#        MAX_LOAD=0.5     wait (up to 5 minutes) until the 1-minute load average is below this before each run
#        DATASET=/work/shared/datasets/v7-cxr/mini   JAR=target/cxr4j.jar   WORK=/tmp/trainbench
#        PY=bench/.venv/bin/python (needs torch, numpy, pillow; falls back to /usr/bin/python3 if that has torch)
#        JAVA_OPTS=       extra JVM options
#
# The jar is copied to $WORK first, so a rebuild of target/cxr4j.jar during the run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

STEPS=${1:-20}
CALLS=${2:-100}
THREADS=${THREADS:-"1 2"}
ROUNDS=${ROUNDS:-1}
BATCH=${BATCH:-32}
SEED=${SEED:-7}
WARMUP_STEPS=${WARMUP_STEPS:-5}
WARMUP_CALLS=${WARMUP_CALLS:-10}
SPLIT=${SPLIT:-5}
CHECK=${CHECK:-1}
MAX_LOAD=${MAX_LOAD:-0.5}
DATASET=${DATASET:-/work/shared/datasets/v7-cxr/mini}
JAR_SRC=${JAR:-target/cxr4j.jar}
WORK=${WORK:-/tmp/trainbench}
PY=${PY:-bench/.venv/bin/python}
OUT=bench/out
mkdir -p "$OUT" "$WORK"

# ---- python with torch
has_torch() { [ -x "$1" ] && "$1" -c 'import torch, numpy, PIL' 2>/dev/null; }
if ! has_torch "$PY"; then
  if has_torch /usr/bin/python3; then
    echo "$PY lacks torch/numpy/pillow; using /usr/bin/python3" >&2
    PY=/usr/bin/python3
  else
    echo "no python with torch: bench/.venv/bin/pip install torch numpy pillow (or apt-get install python3-torch python3-pil)" >&2
    exit 1
  fi
fi

# ---- jar copy, inputs, compile
[ -f "$JAR_SRC" ] || { echo "missing $JAR_SRC (build it with ./mvnw package)" >&2; exit 1; }
cp "$JAR_SRC" "$WORK/cxr4j.jar.tmp" && mv "$WORK/cxr4j.jar.tmp" "$WORK/cxr4j.jar"
JAR="$WORK/cxr4j.jar"
JAR_SHA=$(sha256sum "$JAR" | cut -c1-16)
IMAGES="$WORK/masked/masked"
if [ ! -d "$IMAGES" ] || [ -z "$(ls -A "$IMAGES" 2>/dev/null)" ]; then
  echo "preparing masked 224 crops of $DATASET in $WORK/masked ..." >&2
  java -jar "$JAR" mask "$DATASET" --out "$WORK/masked" --crop --size 224 >&2
fi
NIMG=$(ls "$IMAGES"/*.png | wc -l)
rm -rf "$WORK/classes"
javac -cp "$JAR" -d "$WORK/classes" bench/TrainBench.java
# shellcheck disable=SC2206
JAVA=(java ${JAVA_OPTS:-} -cp "$JAR:$WORK/classes" TrainBench --images "$IMAGES")
COMMON=(--batch "$BATCH" --seed "$SEED")
RUNARGS=(--steps "$STEPS" --calls "$CALLS" --warmup-steps "$WARMUP_STEPS" --warmup-calls "$WARMUP_CALLS" --split "$SPLIT")

. bench/lib/timed_record.sh # load1, timed_record
wait_quiet() {
  for _ in $(seq 1 10); do
    awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }' && return 0
    echo "load $(load1) >= $MAX_LOAD, waiting 30 s ..." >&2
    sleep 30
  done
  echo "load still $(load1); running anyway (recorded with the results)" >&2
}

RES="$WORK/train_bench.lines"
: > "$RES"
record() { wait_quiet; timed_record "$@"; } # record LABEL CMD...: once the load is low, runs CMD, keeps its last stdout line

echo "uptime at start: $(uptime)" >&2
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if [ "$CHECK" = 1 ]; then
  "${JAVA[@]}" --threads 1 "${COMMON[@]}" --dump "$WORK/params.bin" >&2
  if ! "$PY" bench/train_peer.py --images "$IMAGES" --threads 1 "${COMMON[@]}" --check "$WORK/params.bin" > "$WORK/check.json"; then
    cat "$WORK/check.json" >&2
    echo "architecture check FAILED: the PyTorch peer is not the cxr4j network; fix bench/train_peer.py" >&2
    exit 1
  fi
  echo "architecture check: $(cat "$WORK/check.json")" >&2
else
  echo '{"skipped":true}' > "$WORK/check.json"
fi
for round in $(seq 1 "$ROUNDS"); do
  for t in $THREADS; do
    record "java_t${t}_r$round" "${JAVA[@]}" --threads "$t" "${COMMON[@]}" "${RUNARGS[@]}"
    record "python_t${t}_r$round" "$PY" bench/train_peer.py --images "$IMAGES" --threads "$t" "${COMMON[@]}" "${RUNARGS[@]}"
  done
done
echo "uptime at end: $(uptime)" >&2

MACHINE=$(printf '%s | %s cpus | %s | mem %s' "$(lscpu | grep 'Model name' | sed 's/.*: *//')" "$(nproc)" \
  "$(java -version 2>&1 | head -n 1)" "$(free -h | awk '/^Mem:/ {print $2}')")

"$PY" - "$RES" "$OUT/train_bench.json" "$WORK/check.json" "$START" "$JAR_SHA" "$MACHINE" "$DATASET" "$NIMG" "$MAX_LOAD" <<'EOF'
import json, statistics, sys
res_path, out_path, check_path, start, jar_sha, machine, dataset, nimg, max_load = sys.argv[1:]
rows = [json.loads(l) for l in open(res_path)]
check = json.load(open(check_path))
med = statistics.median
by = {}
for r in rows:
    side, t, _ = r["label"].split("_")
    by.setdefault((side, int(t[1:])), []).append(r)
threads = sorted({t for _, t in by})
problems = []
table = []
def m(rs, k): return med([r["result"][k] for r in rs])
print()
print("train = images/s over the timed steps (higher is better); predict = ms per single-image call (lower is better)")
print("ratios are cxr4j / pytorch: train ratio > 1 means cxr4j trains faster; latency ratio > 1 means cxr4j is slower")
hdr = (f"{'thr':>3} | {'cxr4j img/s':>11} | {'torch img/s':>11} | {'train ratio':>11} | {'cxr4j p50':>9} | {'torch p50':>9} "
       f"| {'p50 ratio':>9} | {'cxr4j p95':>9} | {'torch p95':>9} | {'p95 ratio':>9} | load before (j, p)")
print(hdr)
print("-" * len(hdr))
for t in threads:
    j, p = by[("java", t)], by[("python", t)]
    jr, pr = j[0]["result"], p[0]["result"]
    # same inputs, labels and thread settings on both sides?
    if jr["input_checksum"] and any(abs(a - b) > 1e-9 * max(1.0, abs(a)) for a, b in zip(jr["input_checksum"], pr["input_checksum"])):
        problems.append(f"t{t}: input checksums differ {jr['input_checksum']} vs {pr['input_checksum']}")
    if jr["labels"] != pr["labels"]:
        problems.append(f"t{t}: labels differ")
    for side, rs in (("cxr4j", j), ("pytorch", p)):
        for r in rs:
            if r["result"]["engine_threads"] != t or r["result"]["engine_interop_threads"] != 1:
                problems.append(f"{side} t{t}: engine threads {r['result']['engine_threads']}/{r['result']['engine_interop_threads']}")
    row = {"threads": t}
    for key, name in (("train_images_per_s", "train_images_per_s"), ("predict_ms_p50", "predict_ms_p50"),
                      ("predict_ms_p95", "predict_ms_p95"), ("predict_ms_mean", "predict_ms_mean"), ("step_ms_mean", "step_ms_mean")):
        row["cxr4j_" + name], row["pytorch_" + name] = m(j, key), m(p, key)
    row["train_ratio"] = round(row["cxr4j_train_images_per_s"] / row["pytorch_train_images_per_s"], 3)
    row["predict_p50_ratio"] = round(row["cxr4j_predict_ms_p50"] / row["pytorch_predict_ms_p50"], 3)
    row["predict_p95_ratio"] = round(row["cxr4j_predict_ms_p95"] / row["pytorch_predict_ms_p95"], 3)
    row["rounds"] = len(j)
    row["load_before"] = [[r["load_before"] for r in j], [r["load_before"] for r in p]]
    if "split_ms" in jr:
        row["cxr4j_split_ms"], row["pytorch_split_ms"] = jr["split_ms"], pr.get("split_ms")
    table.append(row)
    print(f"{t:>3} | {row['cxr4j_train_images_per_s']:>11.2f} | {row['pytorch_train_images_per_s']:>11.2f} | {row['train_ratio']:>11.3f} "
          f"| {row['cxr4j_predict_ms_p50']:>9.3f} | {row['pytorch_predict_ms_p50']:>9.3f} | {row['predict_p50_ratio']:>9.3f} "
          f"| {row['cxr4j_predict_ms_p95']:>9.3f} | {row['pytorch_predict_ms_p95']:>9.3f} | {row['predict_p95_ratio']:>9.3f} "
          f"| {row['load_before'][0]}, {row['load_before'][1]}")
if any("cxr4j_split_ms" in r for r in table):
    print(f"\nper-step phases, ms (first round; extra steps after the timed ones; cxr4j via a replica of NetTrainer.step)")
    for r in table:
        js, ps = r.get("cxr4j_split_ms") or {}, r.get("pytorch_split_ms") or {}
        keys = [k for k in js if k != "steps"]
        print(f"  threads {r['threads']}: " + ", ".join(f"{k} {js[k]}/{ps.get(k)}" for k in keys) + "   (cxr4j/pytorch)")
first = rows[0]["result"]
print(f"\nparameters: cxr4j {first['param_count']} (all DJL parameters, incl. BN running mean/var); "
      f"pytorch {next(r['result'] for r in rows if r['label'].startswith('python'))['param_count_trainable']} trainable "
      f"+ {next(r['result'] for r in rows if r['label'].startswith('python'))['bn_running_stats']} BN running stats")
print("engines:", first["engine"], "|", next(r["result"]["engine"] for r in rows if r["label"].startswith("python")))
print("architecture check:", "ok" if check.get("ok") else ("skipped" if check.get("skipped") else "FAILED"))
busy = [f"{r['label']} ({r['load_before']} -> {r['load_after']})" for r in rows
        if max(r["load_before"], r["load_after"]) >= float(max_load)]
if busy:
    print(f"WARNING: 1-minute load average reached MAX_LOAD={max_load} around these runs; their numbers are suspect:",
          ", ".join(busy))
for pr_ in problems:
    print("PROBLEM:", pr_)
json.dump({"benchmark": "train_predict", "started_utc": start, "dataset": dataset, "images": int(nimg),
           "jar_sha256_16": jar_sha, "machine": machine, "architecture_check": check, "problems": problems,
           "max_load": float(max_load), "busy_runs": busy,
           "table": table, "runs": rows}, open(out_path, "w"), indent=1)
print(f"\nwrote {out_path}")
sys.exit(1 if problems else 0)
EOF
