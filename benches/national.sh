#!/usr/bin/env bash
# Benchmark at national scale: generates 3 sessions of 30,000 NDRC candidates (about the nation),
# then times `ingest` and `run` on them with the release binary. Prints wall time and peak memory.
# Usage: bash benches/national.sh [CANDIDATS_PER_SESSION]   (default 30000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ndrc-stats/target}"
n="${1:-30000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/ndrc-stats"
measure() { /usr/bin/time -f "%e s wall, %M KB peak" "$@"; }
echo "== generate $n candidates x 3 sessions"
measure "$bin" generate --out "$work/exports" --candidats "$n" | tail -1
du -sh "$work/exports"
echo "== ingest (empty database)"
measure "$bin" ingest --db "$work/b.duckdb" "$work/exports" | tail -2
echo "== ingest again (every file already loaded)"
measure "$bin" ingest --db "$work/b.duckdb" "$work/exports" | tail -2
echo "== run (load is a no-op, all reports)"
measure "$bin" run --db "$work/b.duckdb" --out "$work/reports" "$work/exports" > /dev/null
