#!/usr/bin/env bash
# Kept for old notes and commands: the masking benchmark is now bench/mask_bench.sh (issue 14), which takes
# the same DATASET argument and the same environment (REPEAT, THREADS, PROFILE, MAX_LOAD, MAX_WAIT), adds
# --quick, ROUNDS and STRIDE, builds the jar and the peer's venv itself, and writes bench/out/mask_bench.json
# with the ratio on 2 threads at the top. See the header of bench/mask_bench.sh.
#
# usage: bench/run_mask_bench.sh [--quick] [DATASET]
exec "$(dirname "$0")/mask_bench.sh" "$@"
