#!/usr/bin/env python3
"""Quantiles of a Prometheus histogram between two scrapes: quantiles.py BEFORE AFTER METRIC [Q ...].

Takes the difference of the cumulative `METRIC_bucket{le=...}` counts (only what happened between the two
scrapes) and reads each quantile as the upper bound of the bucket it falls in, so a figure is never
better than the truth by more than one bucket width."""
import re
import sys


def buckets(path, metric):
    found = {}
    pattern = re.compile(r'^' + re.escape(metric) + r'_bucket\{.*le="([^"]+)".*\}\s+(\S+)')
    with open(path) as scrape:
        for line in scrape:
            m = pattern.match(line)
            if m:
                found[float(m.group(1))] = float(m.group(2))
    return found


before_path, after_path, metric = sys.argv[1:4]
quantiles = [float(q) for q in sys.argv[4:]] or [0.5, 0.99]
before, after = buckets(before_path, metric), buckets(after_path, metric)
bounds = sorted(after)
counts = [after[b] - before.get(b, 0.0) for b in bounds]
total = counts[-1] if counts else 0
if total == 0:
    print(f"{metric}: no observations between the scrapes")
    sys.exit(0)
parts = [f"count {int(total)}"]
for q in quantiles:
    rank = q * total
    bound = next(b for b, c in zip(bounds, counts) if c >= rank)
    parts.append(f"p{q * 100:g} <= {bound:g} s")
print(f"{metric}: " + ", ".join(parts))
