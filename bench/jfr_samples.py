"""Reading a JFR recording's samples, shared by bench/jfr_stages.py and bench/jfr_train_stages.py.

`events(path, depth)` runs `jfr print --json` for jdk.ExecutionSample (Java code running) and jdk.NativeMethodSample
(a Java thread inside a native method, e.g. libtorch through JNI) with stacks of at most `depth` frames;
`frames(event)` gives one sample's stack as "package.Class.method" names, innermost first.
"""
import json
import subprocess


def events(path, depth):
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(raw)["recording"]["events"]


def frames(event):
    st = event["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "?")
        out.append(f"{t.replace('/', '.')}.{m.get('name', '?')}")
    return out
