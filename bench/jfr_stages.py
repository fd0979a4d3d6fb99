#!/usr/bin/env python3
"""Where `cxr predict`'s time goes, from a JFR recording (settings=profile): Java samples (jdk.ExecutionSample,
every 10 ms per running Java thread) and native samples (jdk.NativeMethodSample, every 20 ms per Java thread inside
a native call, e.g. libtorch through DJL's JNI), each sample put in one pipeline stage by the cxr4j methods on its
stack, and the top frames. libtorch's own OpenMP worker threads are not Java threads and are never sampled: their
time shows only as the calling Java thread's native sample.

  jfr_stages.py RECORDING.jfr [--top 25]
"""
import argparse
import collections
import sys

from jfr_samples import events as read_events, frames

PERIOD_MS = {"jdk.ExecutionSample": 10, "jdk.NativeMethodSample": 20}

# (stage, methods that must all be on the stack); the first rule that matches wins
RULES = [
    ("model loading", ["io.cxr4j.engine.Net.load"]),
    ("check: network", ["io.cxr4j.check.InputCheck.probabilities", "io.cxr4j.engine.Net.forward"]),
    ("check: network input (resize 64, z-score)", ["io.cxr4j.check.InputCheck.probabilities"]),
    ("check: image statistics", ["io.cxr4j.check.ImageStats.measure"]),
    ("check: lung shape", ["io.cxr4j.check.LungShape.of"]),
    ("segment: network", ["io.cxr4j.segment.LungSegmenter.probabilities", "io.cxr4j.engine.Net.forward"]),
    ("segment: network input (pad, resize 256, z-score)", ["io.cxr4j.segment.LungSegmenter.segment", "io.cxr4j.segment.SegInput.image"]),
    ("segment: network input (pad, resize 256, z-score)", ["io.cxr4j.segment.LungSegmenter.segment", "io.cxr4j.segment.SegInput.area"]),
    ("segment: network input (pad, resize 256, z-score)", ["io.cxr4j.segment.LungSegmenter.probabilities"]),
    ("segment: back to the film (resize, threshold)", ["io.cxr4j.segment.SegInput.toOriginal"]),
    ("segment: post-processing", ["io.cxr4j.segment.PostProcess.apply"]),
    ("segment: working copy <= 512 px", ["io.cxr4j.segment.LungSegmenter.atWorkingSize"]),
    ("classify: network", ["io.cxr4j.model.Classifier.logitsCrops", "io.cxr4j.engine.Net.forward"]),
    ("classify: crop, resize 192", ["io.cxr4j.prep.InputRecipe.crop"]),
    ("classify: z-score, softmax", ["io.cxr4j.model.Classifier"]),
    ("quality flags", ["io.cxr4j.quality.Quality.measure"]),
    ("decode", ["io.cxr4j.image.ImageReader"]),
    ("writing the CSV", ["io.cxr4j.cli.PredictCommand.print"]),
    ("analysis, other", ["io.cxr4j.analysis.XrayAnalyzer"]),
    ("listing, start-up, other cxr4j", ["io.cxr4j"]),
]


def stage(names):
    joined = "\n".join(names)
    for name, need in RULES:
        if all(any(n.startswith(x) for n in names) for x in need):
            return name
    if "ai.djl" in joined:
        return "DJL / libtorch, other"
    return "JVM, other (start-up, class loading, JIT-compiled library code)"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("jfr")
    p.add_argument("--top", type=int, default=25)
    a = p.parse_args()
    events = read_events(a.jfr, 256)
    ms = collections.Counter()
    by_kind = collections.Counter()
    top = collections.Counter()
    threads = collections.Counter()
    for ev in events:
        period = PERIOD_MS.get(ev["type"], 10)
        names = frames(ev)
        if not names:
            continue
        s = stage(names)
        kind = "native" if ev["type"] == "jdk.NativeMethodSample" else "java"
        ms[s] += period
        by_kind[(s, kind)] += period
        top[(names[0], kind)] += period
        th = ((ev["values"].get("sampledThread") or {}).get("javaName") or "?")
        threads["cxr-worker" if th.startswith("cxr-worker") else th] += period
    total = sum(ms.values()) or 1
    print(f"{a.jfr}: {len(events)} samples, about {total / 1000:.1f} s of Java-thread time "
          f"(Java samples x 10 ms + native samples x 20 ms; libtorch's OpenMP threads are not sampled)")
    print(f"\n{'stage':58} {'s':>7} {'share':>6} {'java s':>7} {'native s':>8}")
    for s, v in ms.most_common():
        print(f"{s:58} {v / 1000:7.2f} {100 * v / total:5.1f}% {by_kind[(s, 'java')] / 1000:7.2f} {by_kind[(s, 'native')] / 1000:8.2f}")
    print("\nthreads: " + ", ".join(f"{t} {v / 1000:.1f} s" for t, v in threads.most_common(6)))
    print(f"\ntop {a.top} frames (innermost):")
    for (f, kind), v in top.most_common(a.top):
        print(f"  {v / 1000:7.2f} s {100 * v / total:5.1f}%  {kind:6} {f}")


if __name__ == "__main__":
    sys.exit(main())
