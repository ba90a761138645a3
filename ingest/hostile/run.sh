#!/usr/bin/env bash
# run.sh: generates the hostile inputs of issue 12 (ingest/hostile/gen:
# a budget sheet with 128 MiB of whitespace between two rows, shared
# strings that inflate to 4 GB, a workbook part nested 10 million deep, a
# CSV line of 20,000 columns, frameworks of a million rules and of a
# million bad rows (and 99,999, under the cap: its error lists 50), as
# folders and as workbooks) and times `purpose check`
# and `purpose run` on each under GNU time: seconds, peak resident MiB,
# exit status, how many lines it printed and the first. Every answer must
# come within 5 s and 300 MiB; the script fails if one does not.
# BEFORE=path/to/an/older/purpose times that build too, for comparison
# (its figures are printed, not asserted).
# Run from anywhere; needs Go and GNU time (/usr/bin/time); the inputs
# take a few seconds to generate (about 80 MB on disk, in a temp folder).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/purpose-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT
max_seconds=${MAX_SECONDS:-5}
max_mib=${MAX_MIB:-300}

cd "$repo"
go build -o "$work/purpose" ./cmd/purpose
go run ./ingest/hostile/gen "$work/in"
budget=samples/budget.xlsx

failed=0
# measure BIN LABEL ARGS...: one run under GNU time, in an empty --out.
measure() {
  local bin=$1 label=$2
  shift 2
  rm -rf "$work/out" "$work/stderr" "$work/stdout"
  local args=("$@")
  [ "${args[0]}" = run ] && args=(run --out "$work/out" "${args[@]:1}")
  local status=0
  /usr/bin/time -o "$work/time" -f '%e %M' "$bin" "${args[@]}" >"$work/stdout" 2>"$work/stderr" || status=$?
  read -r secs kib < <(tail -1 "$work/time")
  local mib=$(( (kib + 1023) / 1024 ))
  local lines first
  lines=$(cat "$work/stdout" "$work/stderr" | wc -l)
  first=$(grep -m1 -v '^$' "$work/stderr" || head -1 "$work/stdout" || true)
  first=${first//$work\//}
  printf '%-34s %-6s %6.2f s %5d MiB  exit %d  %7d lines  %.150s\n' "$label" "${args[0]}" "$secs" "$mib" "$status" "$lines" "$first"
  if [ "$bin" = "$work/purpose" ]; then
    if awk -v s="$secs" -v m="$max_seconds" 'BEGIN{exit !(s >= m)}' || [ "$mib" -ge "$max_mib" ]; then
      echo "  FAIL: over ${max_seconds} s or ${max_mib} MiB" >&2
      failed=1
    fi
    if [ "$status" -gt 1 ]; then
      echo "  FAIL: exit status $status (a crash, not a refusal)" >&2
      failed=1
    fi
  fi
}

cases() {
  local bin=$1 tag=$2
  for f in whitespace-128mib.xlsx shared-strings-4gb.xlsx deep-workbook.xlsx wide-20000-columns.csv; do
    measure "$bin" "$tag$f" check "$work/in/$f"
    measure "$bin" "$tag$f" run "$work/in/$f"
  done
  for fw in framework-1m-rules framework-1m-bad-rows framework-100k-bad-rows framework-1m-rules.xlsx framework-deep.xlsx; do
    measure "$bin" "$tag$fw" check --framework "$work/in/$fw" "$budget"
    measure "$bin" "$tag$fw" run --framework "$work/in/$fw" "$budget"
  done
}

ls -l "$work/in" | awk 'NR>1 {printf "  %-32s %10d bytes\n", $9, $5}'
echo
printf '%-34s %-6s %8s %9s  %-6s  %13s  %s\n' case cmd time peak status printed "first line"
cases "$work/purpose" ""
if [ -n "${BEFORE:-}" ]; then
  echo
  echo "before ($BEFORE):"
  cases "$BEFORE" "before: "
fi
exit $failed
