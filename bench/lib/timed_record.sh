# Sourced by bench/train_bench.sh and bench/train_epoch_bench.sh: the 1-minute load, and one timed run recorded.
#   load1                       the 1-minute load average
#   timed_record LABEL CMD...   runs CMD, echoes its last stdout line, and appends
#                               {"label","load_before","load_after","wall_s","result": that line} to $RES
load1() { cut -d' ' -f1 /proc/loadavg; }

timed_record() {
  local label=$1; shift
  local before line t0
  before=$(load1)
  echo ">> $label (load $before): $*" >&2
  t0=$(date +%s.%N)
  line=$("$@" | tail -n 1)
  echo "$line" >&2
  printf '{"label":"%s","load_before":%s,"load_after":%s,"wall_s":%.2f,"result":%s}\n' "$label" "$before" "$(load1)" \
    "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$line" >> "$RES"
}
