"""The benchmark's Markdown table, from the timings national.sh recorded: median of the runs of
each job (wall time; peak RSS of the median run), rows/s, MB/s, and ratios to the references.

Usage: python table.py TIMINGS CSV_ROWS CSV_BYTES XLSX_ROWS XLSX_BYTES
TIMINGS lines: job <TAB> run <TAB> wall seconds <TAB> peak KB. A job « a+b+c » is the sum of its
steps per run (peak = the largest step's).
"""

import collections
import statistics
import sys

timings, csv_rows, csv_bytes, xlsx_rows, xlsx_bytes = sys.argv[1], *map(int, sys.argv[2:6])
runs = collections.defaultdict(dict)
with open(timings, encoding="utf-8") as f:
    for line in f:
        job, run, wall, kb = line.rstrip("\n").split("\t")
        runs[job][int(run)] = (float(wall), int(kb))


def combine(*steps):
    """Per run: the sum of the steps' wall times and the largest peak."""
    common = set.intersection(*(set(runs[s]) for s in steps))
    return {r: (sum(runs[s][r][0] for s in steps), max(runs[s][r][1] for s in steps)) for r in common}


def median(per_run):
    """The median run (by wall time) and how many runs there were."""
    ordered = sorted(per_run.values())
    return statistics.median(w for w, _ in ordered), ordered[(len(ordered) - 1) // 2][1], len(ordered)


ours = combine("ours ingest", "ours results", "ours rates")
jobs = [
    ("floor: `cat` the CSV to /dev/null", runs["floor cat"], "csv"),
    ("**ours**: `ingest` + `results` + `rates`, fresh database", ours, "csv"),
    ("  ours: `ingest`", runs["ours ingest"], "csv"),
    ("  ours: `results`", runs["ours results"], "csv"),
    ("  ours: `rates`", runs["ours rates"], "csv"),
    ("ours: `ingest` again, nothing new", runs["ours reingest"], "csv"),
    ("DuckDB alone (`read_csv` + SQL)", runs["duckdb"], "csv"),
    ("polars", runs["polars"], "csv"),
    ("pandas", runs["pandas"], "csv"),
    ("**ours**: `ingest` of one session's academy workbooks", runs["ours xlsx"], "xlsx"),
    ("python-calamine → polars, same workbooks", runs["calamine polars"], "xlsx"),
    ("pandas + openpyxl, same workbooks", runs["pandas openpyxl"], "xlsx"),
]
medians = {name: median(r) for name, r, _ in jobs if r}
ref_duckdb = medians[jobs[6][0]][0]
ref_calamine = medians[jobs[10][0]][0]
ref_openpyxl = medians[jobs[11][0]][0]
print("| job | runs | wall time (s) | rows/s | MB/s | peak RSS (MB) | ratio |")
print("|---|---|---|---|---|---|---|")
for name, r, kind in jobs:
    if name not in medians:
        continue
    wall, kb, n = medians[name]
    rows, size = (csv_rows, csv_bytes) if kind == "csv" else (xlsx_rows, xlsx_bytes)
    if kind == "csv":
        ratio = f"{wall / ref_duckdb:.2f}× DuckDB alone"
    else:
        ratio = f"{wall / ref_calamine:.2f}× calamine→polars, {wall / ref_openpyxl:.2f}× pandas+openpyxl"
    if wall > 0:
        speeds = f"{wall:.2f} | {rows / wall:,.0f} | {size / 1e6 / wall:,.1f}"
    else:
        speeds = "< 0.01 (below /usr/bin/time's resolution) | — | —"
    print(f"| {name} | {n} | {speeds} | {kb / 1024:,.0f} | {ratio} |")
cold = medians[jobs[2][0]][0]
again = medians[jobs[5][0]][0]
ours_wall, ours_kb, _ = medians[jobs[1][0]]
duck_kb = medians[jobs[6][0]][1]
xlsx_wall = medians[jobs[9][0]][0]


def verdict(ok, by=""):
    return "met" if ok else f"**missed**{by}"


speedup = ref_openpyxl / xlsx_wall
print()
print("Targets (issue 11, item 5):")
r = ours_wall / ref_duckdb
print(f"- ours ≤ 1.0× DuckDB alone (stretch 0.8×): {r:.2f}× — {verdict(r <= 1.0, f', {r:.1f} times the target')}")
r = ours_kb / duck_kb
print(
    f"- peak ≤ 2× DuckDB alone's and < 2 GiB: {ours_kb / 1024:,.0f} MB = {r:.1f}× DuckDB's {duck_kb / 1024:,.0f} MB — "
    f"{verdict(r <= 2 and ours_kb < 2 * 1024 * 1024, f', {r / 2:.1f} times the 2× bound' + (', over 2 GiB' if ours_kb >= 2 * 1024 * 1024 else ''))}"
)
r = xlsx_wall / ref_calamine
print(f"- XLSX ≤ 0.6× python-calamine→polars: {r:.2f}× — {verdict(r <= 0.6, f', {r / 0.6:.1f} times the target')}")
print(
    f"- XLSX ≥ 8× faster than pandas+openpyxl: {speedup:.2f}× as fast — "
    f"{verdict(speedup >= 8, f', {8 / speedup:.1f} times too slow')}"
)
r = again / cold
print(f"- re-run < 10 % of a cold ingest: {100 * r:.1f} % — {verdict(r < 0.1)}")
