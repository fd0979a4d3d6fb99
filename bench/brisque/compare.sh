#!/usr/bin/env bash
# Agreement of cxr4j's BRISQUE with OpenCV's own (cv::quality::QualityBRISQUE, contrib) on real films.
# Picks N images spread evenly over each folder's sorted listing (default: 30 from v7-cxr/images and 30
# from adult-cxr/images), decodes each once with cxr4j's ImageReader into a grey PGM so both sides score
# the very same pixels, scores the PGMs with OpenCV (read with IMREAD_GRAYSCALE) and with cxr4j, and
# prints per-image scores, per-feature differences and the largest absolute score difference.
#
# Usage: bench/brisque/compare.sh [N_PER_FOLDER [FOLDER...]]
# Needs: apt-get install g++ pkg-config libopencv-dev libopencv-contrib-dev opencv-data
# Env:   MODEL_DIR (default /usr/share/opencv4/quality), WORK (default /tmp/brisque-compare),
#        DATA (default ../shared/datasets); -Dbrisque.rel=0 in JAVA_OPTS lists every differing feature.
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${DATA:-../shared/datasets}"
model="${MODEL_DIR:-/usr/share/opencv4/quality}"
work="${WORK:-/tmp/brisque-compare}"
n="${1:-30}"
shift || true
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=("$data/v7-cxr/images" "$data/adult-cxr/images")

if ! command -v g++ >/dev/null || ! pkg-config --exists opencv4 2>/dev/null; then
  echo "needs g++ and OpenCV with contrib: apt-get install g++ pkg-config libopencv-dev libopencv-contrib-dev" >&2
  exit 1
fi
[ -f "$model/brisque_model_live.yml" ] || { echo "no BRISQUE model in $model: apt-get install opencv-data" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/classes" "$work/pgm"
g++ -O2 -std=c++17 -o "$work/brisque_opencv" bench/brisque/brisque_opencv.cpp $(pkg-config --cflags --libs opencv4)
./mvnw -B -ntp -q compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
cp="target/classes:$(cat "$work/cp.txt")"
javac -cp "$cp" -d "$work/classes" bench/brisque/BrisqueCompare.java

files=()
for d in "${folders[@]}"; do
  mapfile -t picked < <(ls "$d" | LC_ALL=C sort | awk -v n="$n" -v total="$(ls "$d" | wc -l)" \
    'BEGIN { step = total / n } k < n && NR == int(k * step) + 1 { print; k++ }')
  for f in "${picked[@]}"; do files+=("$d/$f"); done
done

java ${JAVA_OPTS:-} -cp "$cp:$work/classes" BrisqueCompare export "$work/pgm" "${files[@]}" > "$work/pgm.list"
mapfile -t pgms < "$work/pgm.list"
"$work/brisque_opencv" "$model" "${pgms[@]}" > "$work/opencv.tsv"

echo "date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p');" \
     "OpenCV $(pkg-config --modversion opencv4); $(java -version 2>&1 | head -1)"
echo "images: ${#files[@]} from ${folders[*]}"
java ${JAVA_OPTS:-} -cp "$cp:$work/classes" BrisqueCompare compare "$model" "$work/opencv.tsv"
