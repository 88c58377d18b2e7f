#!/usr/bin/env python3
"""Prints the figures and ratios of benches/bench.sh from its hyperfine JSON and RSS table.

usage: summarise.py RESULTS_DIR N...
"""
import json
import sys
from pathlib import Path

results, sizes = Path(sys.argv[1]), [int(n) for n in sys.argv[2:]]
mean, rss = {}, {}
for n in sizes:
    for r in json.loads((results / f"{n}.json").read_text())["results"]:
        mean[(n, r["command"])] = r["mean"]
for line in (results / "rss.tsv").read_text().splitlines():
    n, name, kb = line.split("\t")
    rss[(int(n), name)] = int(kb) / 1024

names = ["validate", "check", "parse", "single", "compare", "check-jsonschema"]
print(f"{'N':>6}  {'command':<17}{'mean s':>9}{'ms/profile':>12}{'max RSS MB':>12}")
for n in sizes:
    for name in names:
        if (n, name) in mean:
            per = mean[(n, name)] / n * 1000
            print(f"{n:>6}  {name:<17}{mean[(n, name)]:>9.3f}{per:>12.3f}{rss[(n, name)]:>12.1f}")
print()
print("Linearity: time per profile at N over time per profile at the previous N (1.00 = linear)")
for a, b in zip(sizes, sizes[1:]):
    for name in ["validate", "check", "compare"]:
        r = (mean[(b, name)] / b) / (mean[(a, name)] / a)
        print(f"  {name:<9} N={a}->{b}: {r:.2f}")
print("check / single-pass (one serde-saphyr pass into IgnoredAny, same files, both cores; target <= 1.3)")
for n in sizes:
    print(f"  N={n}: {mean[(n, 'check')] / mean[(n, 'single')]:.2f}")
print("check / parse-only (frameaudit's own typed parse of the same files, both cores)")
for n in sizes:
    print(f"  N={n}: {mean[(n, 'check')] / mean[(n, 'parse')]:.2f}")
print("check-jsonschema over frameaudit validate (target >= 20)")
for n in sizes:
    if (n, "check-jsonschema") in mean:
        print(f"  N={n}: {mean[(n, 'check-jsonschema')] / mean[(n, 'validate')]:.1f}")
print("Peak memory of check (target: well under 200 MB at N=10000)")
for n in sizes:
    print(f"  N={n}: {rss[(n, 'check')]:.1f} MB")
formats = results / "formats.tsv"
if formats.exists():
    print("Peak memory of every output format of check and report (target: < 100 MB at N=10000)")
    for line in formats.read_text().splitlines():
        n, label, kb = line.split("\t")
        print(f"  N={n}: {label:<42}{int(kb) / 1024:>8.1f} MB")
