#!/usr/bin/env python3
"""How small an ECE a test set can show: the ECE a perfectly calibrated model would get by chance.

For each film of an evaluation's predictions.csv it keeps the model's top-class confidence c and draws "correct"
with probability c (what a perfectly calibrated model's answers look like), then computes ECE exactly as cxr4j
does (io.cxr4j.eval.Metrics.ece: top-class confidence, 15 equal-width bins, sum over bins of
|accuracy - confidence| x share of films). Repeated 2,000 times, it gives the floor that sampling alone puts
under the figure: a target below that floor cannot be shown on that many films, however well calibrated.

usage: bench/ece_floor.py EVAL_DIR...   (each holding predictions.csv from `cxr evaluate`)
Research benchmark, not a diagnostic result. Standard library only.
"""
import csv
import os
import random
import sys

CLASSES = ["bacterial_pneumonia", "healthy", "viral_pneumonia", "covid19"]


def ece(conf, correct, bins=15):
    s, a, n = [0.0] * bins, [0] * bins, len(conf)
    for c, k in zip(conf, correct):
        b = min(bins - 1, int(c * bins))
        s[b] += c
        a[b] += k
    return sum(abs(a[b] - s[b]) for b in range(bins)) / n


def main(dirs):
    if not dirs:
        sys.exit(__doc__)
    for d in dirs:
        with open(os.path.join(d, "predictions.csv"), newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["true"] in CLASSES and r["predicted"]]
        probs = [[float(r["p_" + c]) for c in CLASSES] for r in rows]
        truth = [CLASSES.index(r["true"]) for r in rows]
        conf = [max(p) for p in probs]
        correct = [int(p.index(max(p)) == t) for p, t in zip(probs, truth)]
        rng = random.Random(1)
        sims = sorted(ece(conf, [int(rng.random() < c) for c in conf]) for _ in range(2000))
        print(f"{d}: {len(rows)} films, observed ECE {ece(conf, correct):.4f}; a perfectly calibrated model with the same "
              f"confidences: mean {sum(sims) / len(sims):.4f}, 5th-95th percentile {sims[100]:.4f}-{sims[1900]:.4f}, "
              f"P(ECE <= 0.03) {sum(s <= 0.03 for s in sims) / len(sims):.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
