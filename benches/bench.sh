#!/usr/bin/env bash
# Benchmarks frameaudit at several data-set sizes (see docs/performance.md).
#
#   benches/bench.sh                 # N = 10, 1000, 10000
#   SIZES="10 1000" RUNS=5 benches/bench.sh
#
# Needs hyperfine and GNU time (Debian: apt-get install -y hyperfine time) and python3;
# check-jsonschema is taken from PATH or installed from PyPI into target/bench/venv.
# Writes synthetic profiles to target/bench/data/<N>/ (kept between runs), hyperfine JSON
# to target/bench/results/, and prints the figures and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"10 1000 10000"}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
# check-jsonschema is slow; by default it is measured up to this size only.
CJS_MAX=${CJS_MAX:-1000}
OUT=target/bench
export FRAMEAUDIT_TODAY=2026-11-28 NO_COLOR=1
unset CI

for tool in hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool not found" >&2; exit 2; }
done

cargo build --release -q
cargo build --release -q --manifest-path benches/parse_only/Cargo.toml --target-dir "$OUT"
FA=$PWD/target/release/frameaudit
PO=$PWD/$OUT/release/parse_only

CJS=$(command -v check-jsonschema || true)
if [ -z "$CJS" ]; then
  [ -x "$OUT/venv/bin/check-jsonschema" ] ||
    { python3 -m venv "$OUT/venv" && "$OUT/venv/bin/pip" install -q check-jsonschema; }
  CJS=$PWD/$OUT/venv/bin/check-jsonschema
fi
"$FA" schema -o "$OUT/profile.schema.json"

mkdir -p "$OUT/results" "$OUT/data"
rm -f "$OUT/results/"*.json "$OUT/results/rss.tsv"
for n in $SIZES; do
  dir=$OUT/data/$n
  [ -d "$dir" ] || "$FA" generate --count "$n" --seed "$SEED" -o "$dir"
  # `compare` takes one region folder, of at most 676 profiles (one per two-letter code):
  # compare-each.sh compares every region folder of the data set in turn.
  names=(validate check parse single compare)
  cmds=("$FA validate $dir" "$FA check $dir" "$PO parse $dir" "$PO single $dir" "benches/compare-each.sh $FA $dir")
  if [ "$n" -le "$CJS_MAX" ]; then
    names+=(check-jsonschema)
    cmds+=("$CJS --schemafile $OUT/profile.schema.json $(find "$dir" -name '[a-z][a-z].yaml' | sort | tr '\n' ' ')")
  fi
  # Peak memory, one run each.
  for i in "${!names[@]}"; do
    /usr/bin/time -o "$OUT/rss.tmp" -f "%M" ${cmds[$i]} >/dev/null 2>&1
    printf '%s\t%s\t%s\n' "$n" "${names[$i]}" "$(tail -1 "$OUT/rss.tmp")" >>"$OUT/results/rss.tsv"
  done
  # Wall time.
  args=()
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" --export-json "$OUT/results/$n.json" \
    "${args[@]}" >/dev/null
done

# Peak memory of every output format of `check` and `report` at the largest N (target: under
# 100 MB each at N = 10,000), outputs written where a user would write them.
n=${SIZES##* }
dir=$OUT/data/$n
rm -f "$OUT/results/formats.tsv"
fmt_rss() {
  /usr/bin/time -o "$OUT/rss.tmp" -f "%M" "$@" >/dev/null 2>&1 || true
  printf '%s\t%s\t%s\n' "$n" "$label" "$(tail -1 "$OUT/rss.tmp")" >>"$OUT/results/formats.tsv"
}
for f in human json junit sarif github; do
  label="check --format $f -o FILE" fmt_rss "$FA" check "$dir" --format "$f" -o "$OUT/out.$f"
done
for f in table markdown json; do
  label="report --format $f (stdout)" fmt_rss "$FA" report "$dir" --format "$f"
done
label="report --full (stdout)" fmt_rss "$FA" report "$dir" --full
# -o DIR holds one report per country code, so one region folder (up to 676 profiles).
first=$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'batch-*' | sort | head -1)
[ -n "$first" ] || first=$dir
for f in table markdown html json; do
  rm -rf "$OUT/reports"
  label="report --format $f -o DIR (one region)" fmt_rss "$FA" report "$first" --format "$f" -o "$OUT/reports"
done
rm -rf "$OUT/reports" "$OUT"/out.*

python3 benches/summarise.py "$OUT/results" $SIZES
