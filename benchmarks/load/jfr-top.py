#!/usr/bin/env python3
"""jfr-top.py FILE.jfr [N] - the hottest methods of a JFR recording's CPU samples (jdk.ExecutionSample):
self samples (top frame) and total samples (anywhere on the stack, once per sample), plus the same by
package prefix. Uses the JDK's `jfr print`."""
import collections, re, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                      capture_output=True, text=True, check=True).stdout
self_c, total_c, pkg_total = collections.Counter(), collections.Counter(), collections.Counter()
samples = 0
for ev in text.split("jdk.ExecutionSample")[1:]:
    frames = [m.group(1) for m in re.finditer(r"^\s+([\w$.<>/]+)\(.*?\)\s+line:", ev, re.M)]
    if not frames:
        continue
    samples += 1
    self_c[frames[0]] += 1
    for f in set(frames):
        total_c[f] += 1
    for p in {".".join(f.split(".")[:3]) for f in frames}:
        pkg_total[p] += 1
print(f"{samples} CPU samples")
print(f"\n-- self (top frame), top {n}")
for f, c in self_c.most_common(n):
    print(f"{c:7d} {100.0 * c / samples:5.1f}%  {f}")
print(f"\n-- total (on the stack), top {n}")
for f, c in total_c.most_common(n):
    print(f"{c:7d} {100.0 * c / samples:5.1f}%  {f}")
print("\n-- total by package prefix, top 20")
for p, c in pkg_total.most_common(20):
    print(f"{c:7d} {100.0 * c / samples:5.1f}%  {p}")
