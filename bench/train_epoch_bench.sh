#!/usr/bin/env bash
# One training epoch of the shipped classifier recipe (models/README.md, run a1: cxrnet 192 px, width 16, blocks
# 1,1,2,2, batch 32, AdamW, label smoothing, class and source weights, mixed masks, outline jitter 0.015, style 0.3),
# cxr4j (bench/TrainEpochBench.java over io.cxr4j.jobs.TrainJob, what `cxr train` runs) against a PyTorch peer
# (bench/train_epoch_peer.py: Dataset + DataLoader with num_workers 0 and 2), interleaved, 2 threads each, on the
# films of models/lung-segmenter/split.csv's train and validation parts. Films without polygons use the predicted
# masks in cxr4j's mask cache (~/.cache/cxr4j/masks); the peer gets the same masks as PNG files, exported first
# (untimed). Prints a table and writes bench/out/train_epoch_bench.json.
#
# usage: bench/train_epoch_bench.sh [--quick]
#        --quick: 600 training and 150 validation films (evenly spread over each part), so it ends in a few minutes
# env:   ROUNDS=1            cxr4j, peer w0, peer w2 triples (the table shows medians over rounds)
#        WORKERS="0 2"       the peer's DataLoader num_workers values
#        VARIANTS=default    cxr4j variants, each run every round; the first is the one the ratio uses:
#                            default (the library's settings: no prefetch) | prefetch (-Dcxr4j.train.prefetch=2)
#                            | passive (OMP_WAIT_POLICY=PASSIVE) | prefetchpassive (both)
#                            | torch1 (libtorch intra-op 1 thread, batches prepared ahead on a second)
#        THREADS=2  SEED=42  TRAIN_FILMS / VAL_FILMS (override the subset; 0 = all)
#        DATA=../shared/datasets/v7-cxr,../shared/datasets/adult-cxr (relative to the repo root)
#        SPLIT=models/lung-segmenter/split.csv  SEGMENTER=models/lung-segmenter  WORK=/tmp/train_epoch_bench
#        JFR=1               also record a JFR profile of the (first) cxr4j run into $WORK/cxr4j.jfr
#        JAVA_OPTS=          extra JVM options for the cxr4j runs
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    *) echo "usage: bench/train_epoch_bench.sh [--quick]" >&2; exit 2 ;;
  esac
done
if [ "$QUICK" = 1 ]; then TRAIN_FILMS=${TRAIN_FILMS:-600}; VAL_FILMS=${VAL_FILMS:-150}; else TRAIN_FILMS=${TRAIN_FILMS:-0}; VAL_FILMS=${VAL_FILMS:-0}; fi
ROUNDS=${ROUNDS:-1}
WORKERS=${WORKERS:-"0 2"}
VARIANTS=${VARIANTS:-default}
THREADS=${THREADS:-2}
SEED=${SEED:-42}
DATA=${DATA:-../shared/datasets/v7-cxr,../shared/datasets/adult-cxr}
SPLIT=${SPLIT:-models/lung-segmenter/split.csv}
SEGMENTER=${SEGMENTER:-models/lung-segmenter}
WORK=${WORK:-/tmp/train_epoch_bench}
OUT=bench/out
mkdir -p "$OUT" "$WORK"
# cxr4j runs as bin/cxr runs it (and the peer inherits the same): glibc keeps libtorch's freed buffers
. bin/lib/malloc.sh
for d in ${DATA//,/ }; do [ -d "$d" ] || { echo "missing dataset $d" >&2; exit 1; }; done
[ -f "$SPLIT" ] || { echo "missing $SPLIT" >&2; exit 1; }

# ---- build what is needed (a clean clone has no jar and no venv)
if [ ! -f target/cxr4j.jar ]; then
  echo "building target/cxr4j.jar ..." >&2
  nice -n 19 ./mvnw -q -B -o package -DskipTests >&2 || nice -n 19 ./mvnw -q -B package -DskipTests >&2
fi
PY=$(bench/venv.sh)
cp target/cxr4j.jar "$WORK/cxr4j.jar.tmp" && mv "$WORK/cxr4j.jar.tmp" "$WORK/cxr4j.jar" # a rebuild during the run changes nothing
JAR="$WORK/cxr4j.jar"
rm -rf "$WORK/classes"
javac -cp "$JAR" -d "$WORK/classes" bench/TrainEpochBench.java
DRIVER=(java -cp "$JAR:$WORK/classes" TrainEpochBench --data "$DATA" --split-from "$SPLIT" --segmenter "$SEGMENTER"
        --train-films "$TRAIN_FILMS" --val-films "$VAL_FILMS")

# ---- the peer's inputs (untimed): films, labels, groups, mask PNGs
# keyed by the films asked for and by what makes the export, so a changed driver, split or data list exports again
KEY=$(cat bench/TrainEpochBench.java "$SPLIT" <(echo "$DATA $SEED") | sha256sum | cut -c1-12)
EXPORT="$WORK/export-$TRAIN_FILMS-$VAL_FILMS-$KEY"
if [ ! -f "$EXPORT/manifest.json" ]; then
  echo "exporting the films and masks for the peer into $EXPORT ..." >&2
  "${DRIVER[@]}" --threads "$THREADS" --export "$EXPORT" >&2
fi

. bench/lib/timed_record.sh # load1, timed_record
RES="$WORK/runs.jsonl"
: > "$RES"
record() { timed_record "$@"; } # record LABEL CMD...: runs CMD, keeps its last stdout line

START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_START=$(load1)
echo "uptime at start: $(uptime)" >&2
for round in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    env_=() opts=() extra=()
    case "$v" in
      default) ;;
      prefetch) opts=(-Dcxr4j.train.prefetch=2) ;;
      passive) env_=(OMP_WAIT_POLICY=PASSIVE) ;;
      prefetchpassive) env_=(OMP_WAIT_POLICY=PASSIVE); opts=(-Dcxr4j.train.prefetch=2) ;;
      torch1) extra=(--engine-threads 1); opts=(-Dcxr4j.train.prefetch=2) ;;
      *) echo "unknown variant $v" >&2; exit 2 ;;
    esac
    if [ "${JFR:-0}" = 1 ] && [ "$round" = 1 ] && [ "$v" = "$(echo $VARIANTS | cut -d' ' -f1)" ]; then
      opts+=(-XX:StartFlightRecording=filename="$WORK/cxr4j.jfr",settings=profile)
    fi
    rm -rf "$WORK/model"
    # shellcheck disable=SC2086
    record "cxr4j_${v}_r$round" env "${env_[@]}" java ${JAVA_OPTS:-} "${opts[@]}" -cp "$JAR:$WORK/classes" TrainEpochBench \
      --data "$DATA" --split-from "$SPLIT" --segmenter "$SEGMENTER" --train-films "$TRAIN_FILMS" --val-films "$VAL_FILMS" \
      --threads "$THREADS" --seed "$SEED" "${extra[@]}" --train "$WORK/model"
  done
  for w in $WORKERS; do
    record "peer_w${w}_r$round" "$PY" bench/train_epoch_peer.py --manifest "$EXPORT/manifest.json" --threads "$THREADS" \
      --workers "$w" --seed "$SEED"
  done
done
echo "uptime at end: $(uptime)" >&2

MACHINE=$(printf '%s | %s cpus | %s | mem %s' "$(lscpu | grep 'Model name' | sed 's/.*: *//')" "$(nproc)" \
  "$(java -version 2>&1 | head -n 1)" "$(free -h | awk '/^Mem:/ {print $2}')")
COMMAND="bench/train_epoch_bench.sh $* (ROUNDS=$ROUNDS WORKERS='$WORKERS' VARIANTS='$VARIANTS' THREADS=$THREADS TRAIN_FILMS=$TRAIN_FILMS VAL_FILMS=$VAL_FILMS)"

"$PY" - "$RES" "$OUT/train_epoch_bench.json" "$START" "$MACHINE" "$COMMAND" "$LOAD_START" "$VARIANTS" <<'EOF'
import json, re, statistics, sys
res_path, out_path, start, machine, command, load_start, variants = sys.argv[1:]
rows = [json.loads(l) for l in open(res_path)]
med = statistics.median
groups = {}
for r in rows:
    groups.setdefault(r["label"].rsplit("_r", 1)[0], []).append(r)
def m(key, label):
    return round(med([r["result"][key] for r in groups[label]]), 3)
problems = []
table = []
for label, rs in groups.items():
    res = rs[0]["result"]
    if label.startswith("cxr4j"):
        cost = m("prepare_plus_epoch_s", label)
        row = {"run": label, "prepare_s": m("prepare_s", label), "train_s": m("train_s", label), "val_s": m("val_s", label),
               "seconds": cost}
    else:
        row = {"run": label, "prepare_s": 0.0, "train_s": m("train_s", label), "val_s": m("val_s", label), "seconds": m("epoch_s", label),
               "wait_for_batches_s": m("train_wait_for_batches_s", label), "steps_s": m("train_steps_s", label)}
    row.update({k: res[k] for k in ("train_films", "val_films", "steps", "train_loss", "train_acc", "val_acc", "val_macro_f1") if k in res})
    row["load_before"] = [r["load_before"] for r in rs]
    table.append(row)
first = variants.split()[0]
j = next(r for r in table if r["run"] == f"cxr4j_{first}")
peers = [r for r in table if r["run"].startswith("peer")]
best_peer = min(peers, key=lambda r: r["seconds"])
ratio = round(best_peer["seconds"] / j["seconds"], 3)
# same films and the same weights on both sides?
jr = groups[f"cxr4j_{first}"][0]["result"]
for p in peers:
    pr = groups[p["run"]][0]["result"]
    if (pr["train_films"], pr["val_films"]) != (jr["train_films"], jr["val_films"]):
        problems.append(f"{p['run']}: films {pr['train_films']}/{pr['val_films']} vs cxr4j {jr['train_films']}/{jr['val_films']}")
    if pr["steps"] != jr["steps"]:
        problems.append(f"{p['run']}: {pr['steps']} steps vs cxr4j {jr['steps']}")
    if pr["recipe_inputs_checked"] == 0 or pr["recipe_checksum_max_rel_diff"] > 0.01:
        problems.append(f"{p['run']}: the ported input recipe differs from cxr4j's: {pr['recipe_inputs_checked']} inputs, "
                        f"largest relative checksum difference {pr['recipe_checksum_max_rel_diff']:.2e}")
    jw = [float(v) for v in re.findall(r"[0-9.Ee+-]+", jr["class_weights"])]
    if len(jw) != len(pr["class_weights"]) or any(abs(a - b) > 1e-4 * max(1, abs(a)) for a, b in zip(jw, pr["class_weights"])):
        problems.append(f"{p['run']}: class weights {pr['class_weights']} vs cxr4j {jr['class_weights']}")
    js = dict((k, float(v)) for k, v in re.findall(r"([^{}=, ]+)=([0-9.]+)", jr["source_weights"]))
    if set(js) != set(pr["source_weights"]) or any(abs(js[k] - pr["source_weights"][k]) > 1e-4 * js[k] for k in js):
        problems.append(f"{p['run']}: source weights {pr['source_weights']} vs cxr4j {jr['source_weights']}")
print()
print("seconds for one epoch from the films (lower is better); cxr4j = prepare (decode, masks, crops of the train and")
print("validation films, once) + train (augmentation, batches, steps) + validation; the peer decodes, masks and crops in its")
print("DataLoader, so its prepare is inside train. ratio = best peer / cxr4j (> 1: cxr4j is faster). Research tool, not a")
print("diagnostic device: the validation figures below are after one epoch and mean nothing clinically.")
hdr = f"{'run':<20} | {'prepare':>7} | {'train':>7} | {'val':>6} | {'total':>7} | {'val acc':>7} | {'val F1':>6} | load before"
print(hdr)
print("-" * len(hdr))
for r in table:
    print(f"{r['run']:<20} | {r['prepare_s']:>7.1f} | {r['train_s']:>7.1f} | {r['val_s']:>6.1f} | {r['seconds']:>7.1f} | "
          f"{r.get('val_acc', float('nan')):>7.3f} | {r.get('val_macro_f1', float('nan')):>6.3f} | {r['load_before']}")
print(f"\nratio (best peer {best_peer['run']} / cxr4j_{first}): {ratio}   (goal 1.2)")
print(f"films: train {jr['train_films']}, validation {jr['val_films']}; 1-minute load at start {load_start}"
      + (" (contended: the figures are not a quiet machine's)" if float(load_start) >= 0.5 else ""))
pr0 = groups[peers[0]["run"]][0]["result"]
print(f"input recipe port: {pr0['recipe_inputs_checked']} validation inputs of the first films, largest relative checksum "
      f"difference to cxr4j's {pr0['recipe_checksum_max_rel_diff']:.2e}")
for pr_ in problems:
    print("PROBLEM:", pr_)
json.dump({"benchmark": "train_epoch", "ratio": ratio, "cxr4j": j["seconds"], "peer": best_peer["seconds"],
           "peer_run": best_peer["run"], "unit": "seconds per epoch from the films (prepare + train + validation); ratio = peer / cxr4j",
           "command": command, "date": start, "machine": machine, "load_before": float(load_start),
           "films": {"train": jr["train_films"], "val": jr["val_films"]}, "problems": problems,
           "recipe_checksum_max_rel_diff": pr0["recipe_checksum_max_rel_diff"],
           "logits_check": "not applicable: both sides train from their own initialisation; the network is train_peer.CxrNet, "
                           "whose logits bench/train_bench.sh checks against cxr4j's",
           "table": table, "runs": rows}, open(out_path, "w"), indent=1)
print(f"\nwrote {out_path}")
sys.exit(1 if problems else 0)
EOF
