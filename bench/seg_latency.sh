#!/usr/bin/env bash
# Segmentation latency at the original size and end-to-end predict latency on unannotated images.
# Usage: bench/seg_latency.sh [SEG_DIR] [CLASSIFIER_DIR]   (defaults: the shipped models)
set -euo pipefail
cd "$(dirname "$0")/.."
seg="${1:-models/lung-segmenter}"
cls="${2:-models/classifier}"
data="${DATASET:-../shared/datasets/v7-cxr}"
work="${WORK:-/tmp/seglatency}"
mkdir -p "$work/classes"
[ -f target/cxr4j.jar ] || ./mvnw -q -B package -DskipTests
cp target/cxr4j.jar "$work/cxr4j.jar"
javac -cp "$work/cxr4j.jar" -d "$work/classes" bench/SegLatency.java
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in 1 2; do
  echo "fullres (original-resolution files), threads $t:"
  java -Xmx4g -cp "$work/cxr4j.jar:$work/classes" SegLatency "$seg" "$cls" "$data/fullres/images" --threads "$t" --repeat 3 2>/dev/null
  echo "mini (stored images, longest side 256), threads $t:"
  java -Xmx4g -cp "$work/cxr4j.jar:$work/classes" SegLatency "$seg" "$cls" "$data/mini/images" --threads "$t" --repeat 3 2>/dev/null
done
