#!/usr/bin/env bash
# Runs `frameaudit compare` on every region folder of a generated data set, as a regional
# body comparing each of its snapshots would: DIR itself when it holds region.yaml, else each
# DIR/batch-NNNN (a region holds at most 676 profiles, one per two-letter code).
#
#   benches/compare-each.sh FRAMEAUDIT DIR
set -euo pipefail
fa=$1 dir=$2
if [ -f "$dir/region.yaml" ]; then
  exec "$fa" compare "$dir" >/dev/null
fi
for region in "$dir"/batch-*/; do
  "$fa" compare "$region" >/dev/null
done
