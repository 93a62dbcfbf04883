#!/usr/bin/env bash
# National-scale benchmark (issue 11, item 6), from a fresh clone:
#   1. builds the release binary;
#   2. installs the Python peers (duckdb, polars, pandas, openpyxl, python-calamine) in a venv,
#      reused when present ($BENCH_VENV, default $HOME/.cache/ndrc-stats/bench-venv);
#   3. generates the national exports: `generate --national --candidats N` (3 sessions);
#   4. times, median of $RUNS runs (default 3) with /usr/bin/time for the peak RSS: the floor of
#      reading the CSV's bytes; ours = `ingest` + `results` + `rates` on a fresh database; `ingest`
#      again with nothing new; DuckDB alone, polars and pandas computing the same decisions and
#      rates from the same CSV (benches/peers/); and for XLSX, our `ingest` of one session's
#      academy workbooks against python-calamine → polars and pandas + openpyxl on the same files
#      (pandas + openpyxl runs once when its first run takes over 60 s);
#   5. checks that every peer's counts (présents, admis, each decision per session) equal ours and
#      the generator's, and that every CSV row is stored (or rejected as an empty grade), failing
#      loudly otherwise; prints the Markdown table and the issue's targets.
# Usage: bash benches/national.sh [CANDIDATS_PER_SESSION]   (default 100000)
# Environment: CARGO_TARGET_DIR (default $HOME/.cache/ndrc-stats/target), RUNS, BENCH_VENV,
# BENCH_WORK (a folder to keep the files in; default a temporary folder removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ndrc-stats/target}"
n="${1:-100000}"
runs="${RUNS:-3}"
venv="${BENCH_VENV:-$HOME/.cache/ndrc-stats/bench-venv}"
if [ -n "${BENCH_WORK:-}" ]; then
    work="$BENCH_WORK"
    mkdir -p "$work"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi
fail() { echo "ÉCHEC : $*" >&2; exit 1; }
[ -x /usr/bin/time ] || fail "/usr/bin/time manque (apt-get install time)"

echo "== build (release)"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/ndrc-stats"

echo "== Python peers in $venv"
py="$venv/bin/python"
if ! "$py" -c 'import duckdb, polars, pandas, openpyxl, python_calamine' 2>/dev/null; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        echo "python3-venv missing: installing it with apt-get"
        apt-get update -qq && apt-get install -y -qq python3-venv
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet duckdb polars pandas openpyxl python-calamine
fi
"$py" -c 'import duckdb, polars, pandas, openpyxl, python_calamine, importlib.metadata as m
print("  " + ", ".join(p + " " + m.version(p) for p in ["duckdb", "polars", "pandas", "openpyxl", "python-calamine"]))'
peers="$repo/benches/peers"

echo "== generate --national --candidats $n (3 sessions)"
rm -rf "$work/national"
/usr/bin/time -f "  %e s wall, %M KB peak" "$bin" generate --national --candidats "$n" \
    --out "$work/national" > "$work/generate.txt"
tail -4 "$work/generate.txt" | sed 's/^/  /'
csv="$work/national/notes_nationales.csv"
session="$(ls "$work/national/academies" | sort | tail -1)"
xlsx="$work/national/academies/$session"
csv_bytes="$(stat -c %s "$csv")"
csv_rows="$(($(wc -l < "$csv") - 1))"
xlsx_bytes="$(du -cb "$xlsx"/*.xlsx | tail -1 | cut -f1)"
echo "  $csv: $csv_rows rows, $csv_bytes bytes; $xlsx: $(ls "$xlsx" | wc -l) workbooks, $xlsx_bytes bytes"

timings="$work/timings.tsv"
: > "$timings"
# measure JOB RUN STDOUT_FILE COMMAND...: runs it under /usr/bin/time, records wall and peak.
measure() {
    local job="$1" run="$2" output="$3"
    shift 3
    /usr/bin/time -f "%e	%M" -o "$work/time.txt" "$@" > "$output" \
        || fail "$job (run $run) a échoué : $* ; voir $output"
    printf '%s\t%s\t%s\n' "$job" "$run" "$(tail -1 "$work/time.txt")" >> "$timings"
}

openpyxl_once=0
for run in $(seq 1 "$runs"); do
    echo "== run $run/$runs ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
    measure "floor cat" "$run" /dev/null cat "$csv"
    db="$work/ours.duckdb"
    rm -f "$db" "$db.wal"
    rm -rf "$work/reports"
    measure "ours ingest" "$run" "$work/ours_ingest.txt" "$bin" ingest --db "$db" "$csv"
    measure "ours results" "$run" "$work/ours_results.txt" "$bin" results --db "$db" --out "$work/reports"
    measure "ours rates" "$run" "$work/ours_rates.txt" "$bin" rates --db "$db" --out "$work/reports"
    measure "ours reingest" "$run" "$work/ours_reingest.txt" "$bin" ingest --db "$db" "$csv"
    if [ "$run" = 1 ]; then
        "$py" "$peers/ours.py" "$work/reports" > "$work/comptes_ours.txt"
        if ! "$py" - "$db" "$csv_rows" > "$work/stored.txt" <<'EOF'
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
notes = con.sql("SELECT count(*) FROM notes").fetchall()[0][0]
rejets = dict(con.sql("SELECT code, count(*) FROM rejets GROUP BY code").fetchall())
lignes = int(sys.argv[2])
vides = rejets.get("note_manquante", 0)
ok = notes + vides == lignes and sum(rejets.values()) == vides
print(f"every row stored: {lignes:,} CSV data lines = {notes:,} rows in notes + {vides:,} rejected "
      f"as an empty grade (note_manquante, planted by generate), other rejets: "
      f"{sum(rejets.values()) - vides} — {'yes' if ok else 'NO'}")
sys.exit(0 if ok else 1)
EOF
        then
            fail "$(cat "$work/stored.txt")"
        fi
    fi
    for peer in duckdb polars pandas; do
        measure "$peer" "$run" "$work/comptes_$peer.$run.txt" "$py" "$peers/${peer}_peer.py" "$csv"
    done
    rm -f "$work/xlsx.duckdb" "$work/xlsx.duckdb.wal"
    measure "ours xlsx" "$run" "$work/ours_xlsx.txt" "$bin" ingest --db "$work/xlsx.duckdb" "$xlsx"
    measure "calamine polars" "$run" "$work/calamine.txt" "$py" "$peers/xlsx_calamine_polars.py" "$xlsx"
    if [ "$openpyxl_once" = 0 ]; then
        measure "pandas openpyxl" "$run" "$work/openpyxl.txt" "$py" "$peers/xlsx_pandas_openpyxl.py" "$xlsx"
        last="$(tail -1 "$timings" | cut -f3)"
        if awk "BEGIN { exit !($last > 60) }"; then
            openpyxl_once=1
            echo "  pandas + openpyxl took $last s (> 60 s): timed once"
        fi
    fi
done

echo "== counts: every peer against ours and the generator's"
"$py" "$peers/compare.py" "$work/generate.txt" "$work/comptes_ours.txt" \
    "$work/comptes_duckdb.1.txt" "$work/comptes_polars.1.txt" "$work/comptes_pandas.1.txt" \
    || fail "les comptes des pairs diffèrent des nôtres"
xlsx_rows="$(sed -n 's/^LIGNES //p' "$work/calamine.txt")"
[ "$xlsx_rows" = "$(sed -n 's/^LIGNES //p' "$work/openpyxl.txt")" ] \
    || fail "python-calamine et openpyxl ne lisent pas le même nombre de lignes"

echo
echo "### $n candidates per session × 3 sessions: $csv_rows CSV rows ($(awk "BEGIN { printf \"%.1f\", $csv_bytes / 1e6 }") MB); XLSX: session $session, $(ls "$xlsx" | wc -l) workbooks, $xlsx_rows candidate rows ($(awk "BEGIN { printf \"%.1f\", $xlsx_bytes / 1e6 }") MB)"
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), median of $runs runs."
echo
"$py" "$peers/table.py" "$timings" "$csv_rows" "$csv_bytes" "$xlsx_rows" "$xlsx_bytes"
echo
cat "$work/stored.txt"
