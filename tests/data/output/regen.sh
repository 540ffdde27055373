#!/usr/bin/env bash
# Regenerate the goldens of cases.tsv from the real Helm (v4.1.4):
#   HELM=/path/to/helm tests/data/output/regen.sh
# For each case NAME it runs `helm template rel charts/CHART FLAGS` from a scratch folder
# (OUT in FLAGS is a folder there) and writes:
#   NAME.golden  stdout (with the scratch folder's path removed)
#   NAME.stderr  stderr, when not empty (DEBUG lines dropped: they name local paths)
#   NAME.tree    with --output-dir: every file written, as "=== PATH\n" + content
# A case whose 4th column is "twice" runs Helm twice into the same folder and records
# the second run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
helm="${HELM:-helm}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
while IFS=$'\t' read -r name chart flags runs; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  work="$scratch/$name"
  mkdir -p "$work"
  cp -r "$here/charts/$chart" "$work/$chart"
  read -r -a args <<<"$flags"
  n=1
  [[ "${runs:-}" == twice ]] && n=2
  for _ in $(seq "$n"); do
    (cd "$work" && "$helm" template rel "./$chart" "${args[@]}" >"$work/.stdout" 2>"$work/.stderr") || true
  done
  sed "s|$work/||g" "$work/.stdout" >"$here/$name.golden"
  grep -v '^level=DEBUG' "$work/.stderr" >"$here/$name.stderr" || true
  [[ -s "$here/$name.stderr" ]] || rm -f "$here/$name.stderr"
  if [[ -d "$work/OUT" ]]; then
    (cd "$work/OUT" && find . -type f | sort | while read -r f; do
      printf '=== %s\n' "${f#./}"
      cat "$f"
    done) >"$here/$name.tree"
  fi
done <"$here/cases.tsv"
