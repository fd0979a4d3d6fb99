#!/usr/bin/env bash
# Scoring films end to end (issue 14, item 1): `bin/cxr predict --format csv --threads 2 DIR > out.csv` (decode,
# input check, segmentation on a copy of at most 512 px, lung crop, classifier, CSV) against bench/score_peer.py, the
# same pipeline in Pillow + numpy + scipy.ndimage + PyTorch with cxr4j's own three networks (weights exported by
# bench/ModelDump.java), 2 threads each (cxr4j --threads 2; the peer torch.set_num_threads(2)), interleaved, on the
# first N films by sorted name of ../shared/datasets/adult-cxr/images (no lung masks there, so every film is
# segmented). Wall-clock of each whole command, JVM / Python start and model loading included, and the films/s after
# start-up from the difference to a one-film run of the same command. Writes bench/out/score_bench.json and prints a
# table. Research tool, not a diagnostic device.
#
# usage: bench/score_bench.sh [--quick]      --quick: 100 films, one round (a few minutes); default 600 films, 2 rounds
# env:   FILMS=600  ROUNDS=2  DATASET=<repo>/../shared/datasets/adult-cxr  WORK=/tmp/score_bench
#        PROFILE=0      1: afterwards, one more `cxr predict` under JFR on the same films; the top frames and the time per
#                       stage go to bench/out/score_bench_profile.txt (bench/jfr_stages.py)
#        CXR_JAVA_OPTS  passed on to bin/cxr (JVM options)
#        OMP_WAIT_POLICY  left as it is for both sides (recorded in the JSON). On a loaded machine set PASSIVE: with the
#                       default (spinning) the peer's PyTorch 2.13 took about 1 s per segmenter call at load 10, 10x its
#                       quiet-machine time, when a spinning OpenMP thread waits for a descheduled one
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "score_bench.sh: unknown argument $a (only --quick)" >&2; exit 2 ;;
  esac
done
if [ "$QUICK" = 1 ]; then N=${FILMS:-100}; ROUNDS=${ROUNDS:-1}; else N=${FILMS:-600}; ROUNDS=${ROUNDS:-2}; fi
DATASET=${DATASET:-$ROOT/../shared/datasets/adult-cxr}
WORK=${WORK:-/tmp/score_bench}
PROFILE=${PROFILE:-0}
OUT=bench/out
mkdir -p "$OUT" "$WORK"
[ -d "$DATASET/images" ] || { echo "score_bench.sh: no $DATASET/images (set DATASET)" >&2; exit 1; }

# ---- what it needs: the jar, the peer's Python, the exporter
if [ ! -f target/cxr4j.jar ]; then
  echo "building target/cxr4j.jar ..." >&2
  ./mvnw -q -B -o package -DskipTests >&2 || ./mvnw -q -B package -DskipTests >&2
fi
JAR=$ROOT/target/cxr4j.jar
PY=$(bench/venv.sh)
rm -rf "$WORK/classes"
javac -cp "$JAR" -d "$WORK/classes" bench/ModelDump.java bench/TrainBench.java # TrainBench: the parameter writer

# ---- the films: the first N by sorted name, linked into a folder that is not a dataset's images/
FILMDIR=$WORK/films$N
ONEDIR=$WORK/films1
rm -rf "$FILMDIR" "$ONEDIR"
mkdir -p "$FILMDIR" "$ONEDIR"
mapfile -t NAMES < <(ls "$DATASET/images" | grep -iE '\.(png|jpe?g)$' | LC_ALL=C sort | head -n "$N")
[ "${#NAMES[@]}" = "$N" ] || { echo "score_bench.sh: only ${#NAMES[@]} films in $DATASET/images, $N wanted" >&2; exit 1; }
for f in "${NAMES[@]}"; do ln -s "$DATASET/images/$f" "$FILMDIR/$f"; done
ln -s "$DATASET/images/${NAMES[0]}" "$ONEDIR/${NAMES[0]}"

# ---- weights for the peer, and the check that its networks are cxr4j's (same outputs on cxr4j's input tensors)
REF=("${NAMES[@]:0:8}")
java -cp "$JAR:$WORK/classes" ModelDump --models models --out "$WORK/weights" "${REF[@]/#/$FILMDIR/}" >&2
if ! "$PY" bench/score_peer.py "$FILMDIR" --weights "$WORK/weights" --models models --check > "$WORK/check.json"; then
  cat "$WORK/check.json" >&2
  echo "score_bench.sh: the peer's networks do not give cxr4j's outputs; fix bench/score_peer.py" >&2
  exit 1
fi
echo "network check: $(cat "$WORK/check.json")" >&2

load1() { cut -d' ' -f1 /proc/loadavg; }
RES=$WORK/runs.jsonl
: > "$RES"
# run LABEL FILMS CSV CMD...: wall, user and sys time of CMD (stdout to CSV, stderr to CSV.err)
run() {
  local label=$1 films=$2 csv=$3; shift 3
  local before t0 t1
  before=$(load1)
  echo ">> $label ($films films, load $before): $*" >&2
  t0=$(date +%s.%N)
  # exit status 1 from cxr predict means some films were refused (each has its CSV row); 2 or more is a failure
  local rc=0
  /usr/bin/time -f '%U %S %M' -o "$WORK/time.txt" "$@" > "$csv" 2> "$csv.err" || rc=$?
  t1=$(date +%s.%N)
  if [ "$rc" -gt 1 ] || { [ "$rc" = 1 ] && [ "${label#peer}" != "$label" ]; }; then tail -n 5 "$csv.err" >&2; echo "score_bench.sh: $label failed (exit status $rc)" >&2; exit 1; fi
  read -r user sys rss < <(tail -n 1 "$WORK/time.txt")
  printf '{"label":"%s","films":%s,"wall_s":%s,"user_s":%s,"sys_s":%s,"max_rss_kb":%s,"load_before":%s,"csv":"%s"}\n' \
    "$label" "$films" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "$user" "$sys" "$rss" "$before" "$csv" >> "$RES"
  tail -n 1 "$RES" >&2
}
CXR=(bin/cxr predict --format csv --threads 2)
PEER=("$PY" bench/score_peer.py --weights "$WORK/weights" --models models --threads 2)

echo "uptime at start: $(uptime)" >&2
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD0=$(load1)
for r in $(seq 1 "$ROUNDS"); do
  # alternate which side goes first, so that a slow spell of the machine does not always hit the same side
  if [ $((r % 2)) = 1 ]; then order="cxr4j peer"; else order="peer cxr4j"; fi
  for side in $order; do
    if [ "$side" = cxr4j ]; then
      run "cxr4j_1_r$r" 1 "$WORK/cxr4j_1.csv" "${CXR[@]}" "$ONEDIR"
      run "cxr4j_n_r$r" "$N" "$WORK/cxr4j_n_r$r.csv" "${CXR[@]}" "$FILMDIR"
    else
      run "peer_1_r$r" 1 "$WORK/peer_1.stdout" "${PEER[@]}" "$ONEDIR" --out "$WORK/peer_1.csv"
      run "peer_n_r$r" "$N" "$WORK/peer_n_r$r.stdout" "${PEER[@]}" "$FILMDIR" --out "$WORK/peer_n_r$r.csv"
    fi
  done
done
echo "uptime at end: $(uptime)" >&2

if [ "$PROFILE" = 1 ]; then
  echo ">> profile: cxr predict under JFR ($N films)" >&2
  CXR_JAVA_OPTS="${CXR_JAVA_OPTS:--Xmx8g} -XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=filename=$WORK/predict.jfr,settings=profile" \
    "${CXR[@]}" "$FILMDIR" > "$WORK/profile.csv" 2> "$WORK/profile.err" || [ $? = 1 ]  # 1: some films refused
  "$PY" bench/jfr_stages.py "$WORK/predict.jfr" > "$OUT/score_bench_profile.txt"
  cat "$OUT/score_bench_profile.txt" >&2
fi

MACHINE=$(printf '%s | %s cpus | %s | mem %s' "$(lscpu | grep 'Model name' | sed 's/.*: *//')" "$(nproc)" \
  "$(java -version 2>&1 | head -n 1)" "$(free -h | awk '/^Mem:/ {print $2}')")
COMMAND="bench/score_bench.sh $*"
"$PY" - "$RES" "$OUT/score_bench.json" "$WORK/check.json" "$START" "$MACHINE" "$COMMAND" "$N" "$LOAD0" "$DATASET" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'EOF'
import csv, json, os, statistics, sys
res, out_path, check_path, start, machine, command, n, load0, dataset, commit = sys.argv[1:]
n = int(n)
runs = [json.loads(l) for l in open(res)]
check = json.load(open(check_path))
med = statistics.median

def side(prefix):
    one = [r for r in runs if r["label"].startswith(prefix + "_1_")]
    many = [r for r in runs if r["label"].startswith(prefix + "_n_")]
    w1, wn = med(r["wall_s"] for r in one), med(r["wall_s"] for r in many)
    d = {"films": n, "wall_s": round(wn, 3), "wall_s_runs": [r["wall_s"] for r in many],
         "one_film_wall_s": round(w1, 3), "films_per_s": round(n / wn, 3),
         "films_per_s_after_startup": round((n - 1) / (wn - w1), 3) if wn > w1 else None,
         "user_s": med(r["user_s"] for r in many), "sys_s": med(r["sys_s"] for r in many),
         "max_rss_mb": round(max(r["max_rss_kb"] for r in many) / 1024, 1),
         "load_before": [r["load_before"] for r in many]}
    return d

def rows(path):
    with open(path, newline="") as f:
        return {os.path.basename(r["file"]): r for r in csv.DictReader(f)}

c, p = side("cxr4j"), side("peer")
# the peer's own timings (start-up, per stage) from its JSON line in the last round
peer_lines = [json.loads(open(r["csv"]).read().strip().splitlines()[-1]) for r in runs if r["label"].startswith("peer_n_")]
p["own_timing"] = peer_lines[-1]
# agreement: the last round's CSVs
last = max(int(r["label"].rsplit("_r", 1)[1]) for r in runs)
jc = rows(f"{os.path.dirname(res)}/cxr4j_n_r{last}.csv")
jp = rows(f"{os.path.dirname(res)}/peer_n_r{last}.csv")
classes = [k[2:] for k in next(iter(jc.values())).keys() if k.startswith("p_") and k != "p_pneumonia"]
both_ok = [f for f in jc if f in jp and jc[f]["status"] == "ok" and jp[f]["status"] == "ok"]
status_same = sum(jc[f]["status"] == jp.get(f, {}).get("status") for f in jc)
label_same = sum(jc[f]["predicted"] == jp[f]["predicted"] for f in both_ok)
pdiff = [max(abs(float(jc[f]["p_" + k]) - float(jp[f]["p_" + k])) for k in classes) for f in both_ok]
diffs = []
for f in sorted(jc):
    a, b = jc[f], jp.get(f)
    if b is None or a["status"] != b["status"] or a["predicted"] != b["predicted"]:
        diffs.append({"file": f, "cxr4j": [a["status"], a["predicted"] or a["reason"], a["confidence"]],
                      "peer": None if b is None else [b["status"], b["predicted"] or b["reason"], b["confidence"]]})
agree = {"films": len(jc), "same_status": status_same, "both_ok": len(both_ok), "same_label": label_same,
         "same_label_share": round(label_same / max(1, len(both_ok)), 4),
         "prob_max_abs_diff": round(max(pdiff), 4) if pdiff else None,
         "prob_median_abs_diff": round(med(pdiff), 4) if pdiff else None,
         "cxr4j_refused": sum(r["status"] != "ok" for r in jc.values()),
         "peer_refused": sum(r["status"] != "ok" for r in jp.values()), "differences": diffs}
out = {"benchmark": "score_bench", "ratio": round(c["films_per_s"] / p["films_per_s"], 3),
       "ratio_after_startup": (round(c["films_per_s_after_startup"] / p["films_per_s_after_startup"], 3)
                               if c["films_per_s_after_startup"] and p["films_per_s_after_startup"] else None),
       "goal": 1.5, "unit": "films/s, whole command (JVM or Python start and model loading included); ratio = cxr4j / peer",
       "cxr4j": c, "peer": p, "agreement": agree,
       "logits_max_abs_diff": check["max_abs_diff"], "network_check": check,
       "command": command, "cxr4j_command": "bin/cxr predict --format csv --threads 2 DIR > out.csv",
       "peer_command": "python bench/score_peer.py DIR --weights W --models models --threads 2 --out out.csv",
       "env": {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "CXR_JAVA_OPTS")},
       "dataset": dataset, "date": start, "machine": machine, "commit": commit, "load_before": float(load0),
       "runs": runs, "note": "Research tool, not a diagnostic device."}
json.dump(out, open(out_path + ".tmp", "w"), indent=1)
os.replace(out_path + ".tmp", out_path)
print()
print(f"score_bench: {n} films of {dataset}, 2 threads each, median of {len([r for r in runs if r['label'].startswith('cxr4j_n_')])} round(s); load before {load0}")
print(f"{'':8} | {'wall s':>8} | {'films/s':>8} | {'1-film s':>8} | {'films/s after start':>19} | {'user s':>7} | {'sys s':>7} | {'RSS MB':>7}")
for name, d in (("cxr4j", c), ("peer", p)):
    print(f"{name:8} | {d['wall_s']:>8.2f} | {d['films_per_s']:>8.2f} | {d['one_film_wall_s']:>8.2f} | "
          f"{d['films_per_s_after_startup'] or float('nan'):>19.2f} | {d['user_s']:>7.1f} | {d['sys_s']:>7.1f} | {d['max_rss_mb']:>7.0f}")
print(f"ratio cxr4j / peer: {out['ratio']} (whole command), {out['ratio_after_startup']} (after start-up); goal 1.5")
print(f"peer per stage, ms per film: {p['own_timing']['stage_ms_per_film']}")
print(f"networks: largest logit difference {check['max_abs_diff']:.2e} on cxr4j's input tensors ({'ok' if check['ok'] else 'FAILED'})")
print(f"labels: {label_same} of {len(both_ok)} films scored by both agree ({agree['same_label_share']:.2%}); "
      f"status agrees on {status_same} of {len(jc)}; largest probability difference {agree['prob_max_abs_diff']}")
for d in diffs[:20]:
    print("  differs:", d)
print(f"wrote {out_path}  (research tool, not a diagnostic device)")
EOF
