"""Reads `jfr print --events jdk.ExecutionSample` on stdin: CPU samples per thread group, hottest frames on top of
the stack (self), and the most frequent frames anywhere in it (inclusive; JFR keeps the top 64 frames)."""
import collections
import re
import sys

samples = sys.stdin.read().split("jdk.ExecutionSample")[1:]
threads, self_time, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
for sample in samples:
    thread = re.search(r'sampledThread = "([^"]*)"', sample)
    threads[re.sub(r"\d+", "N", thread.group(1)) if thread else "?"] += 1
    frames = re.findall(r"^\s+([\w.$<>]+)\(", sample, re.M)
    if frames:
        self_time[frames[0]] += 1
    inclusive.update(set(frames))

total = max(len(samples), 1)
for title, counter, rows in (("thread groups", threads, 15), ("self", self_time, 25), ("inclusive", inclusive, 40)):
    print(f"== {title} ({len(samples)} samples)")
    for name, count in counter.most_common(rows):
        print(f"{100 * count / total:5.1f}%  {name}")
