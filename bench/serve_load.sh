#!/usr/bin/env bash
# Load test of `cxr serve` on this machine (docs/benchmarks.md): starts bin/cxr serve on 127.0.0.1, times its
# start-up, then 8 clients (with and without ?heatmap=false) and 32 clients POST real films from ../shared (bench/serve_load.py; fixed request
# counts and time limits), and reports req/s, p50/p99 latency, status counts and the server's RSS before and
# after. Only 127.0.0.1 is ever contacted. Usage: bench/serve_load.sh [PORT] (default 18080).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18080}"
films_dir="${CXR_FILMS:-../shared/datasets/v7-cxr/images}"
[ -d "$films_dir" ] || { echo "serve_load: no films at $films_dir" >&2; exit 2; }
[ -f target/cxr4j.jar ] || ./mvnw -q -B package -DskipTests
mapfile -t films < <(ls "$films_dir" | grep -Ei '\.(png|jpe?g)$' | sort | head -40 | sed "s|^|$films_dir/|")
log=$(mktemp); trap 'rm -f "$log"' EXIT

rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }

start=$(date +%s.%N)
bin/cxr serve --port "$port" --bind 127.0.0.1 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
until curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "serve_load: the server exited:" >&2; cat "$log" >&2; exit 2; }
  sleep 0.1
done
echo "startup (launch to first healthy answer): $(echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f') s"
grep -m1 "listening" "$log" || true
# the first films load the segmenter; then the JIT compiles the paths 8 clients take: a trace of the first 80 requests
# showed the first ~30 at about 1 s and the rest at about 0.55 s. So one pass of the 40 films at 8 clients (with and
# without heat maps) warms the server; it is reported, as a new server's first minute, but not the steady state.
python3 bench/serve_load.py --port "$port" --clients 1 --requests 3 --time-limit 120 "${films[@]:0:3}" >/dev/null
echo "warm-up, 8 clients (a new server's first requests):  $(python3 bench/serve_load.py --port "$port" --clients 8 --requests 40 --time-limit 300 "${films[@]}")"
python3 bench/serve_load.py --port "$port" --clients 8 --requests 40 --time-limit 300 --query heatmap=false "${films[@]}" >/dev/null
echo "RSS after warm-up: $(rss "$pid")"
echo "8 clients:  $(python3 bench/serve_load.py --port "$port" --clients 8 --requests 80 --time-limit 300 "${films[@]}")"
echo "RSS after 8 clients: $(rss "$pid")"
echo "8 clients, ?heatmap=false:  $(python3 bench/serve_load.py --port "$port" --clients 8 --requests 80 --time-limit 300 --query heatmap=false "${films[@]}")"
echo "RSS after 8 clients without heat maps: $(rss "$pid")"
echo "32 clients: $(python3 bench/serve_load.py --port "$port" --clients 32 --requests 160 --time-limit 300 "${films[@]}")"
echo "RSS after 32 clients: $(rss "$pid")"
echo "server log lines: $(grep -c ' ms$' "$log" || true); non-200/503 in the log: $(grep -E ' ms$' "$log" | grep -vcE ' (200|503) [0-9]+ ms$' || true)"
