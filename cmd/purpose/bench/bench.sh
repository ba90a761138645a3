#!/usr/bin/env bash
# bench.sh [LINES...]: generates ledger workbooks of each size (default 10000
# 100000 1000000; shared-string and inline-string variants) and times, side
# by side in one run on the same file: `purpose run` end to end, excelize's
# streaming Rows() read alone, and openpyxl's read-only read alone, taking
# turns run after run. Prints the median of RUNS runs (default 3) and the
# peak memory of each, the
# ratios the targets are stated in, and whether the 1M-line targets hold:
#   purpose <= 0.3 x excelize read;  openpyxl read >= 10 x purpose;  peak <= 200 MiB.
# BEFORE=path/to/an/older/purpose times that build too, in the same turns,
# so a change's cost or gain is measured side by side.
# Run from anywhere; needs Go, and installs GNU time and python3-openpyxl
# from Debian's packages if they are missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
sizes=(${@:-10000 100000 1000000})
runs=${RUNS:-3}
work=$(mktemp -d /tmp/purpose-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

need=()
[ -x /usr/bin/time ] || need+=(time)
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || need+=(python3-openpyxl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null
fi

cd "$repo"
go build -o "$work/purpose" ./cmd/purpose
go build -o "$work/genledger" ./cmd/purpose/bench/genledger
go build -o "$work/excelizeread" ./cmd/purpose/bench/excelizeread

# once FILE CMD...: runs CMD once under GNU time, appending "seconds KiB"
# to FILE.
once() {
  local file=$1
  shift
  /usr/bin/time -f '%e %M' "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  tail -1 "$work/err" >>"$file"
}

# stats FILE: sets med (median seconds) and peak (MiB) from once's lines.
stats() {
  med=$(awk '{print $1}' "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  peak=$(awk '{print $2}' "$1" | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}')
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(go version | cut -d' ' -f3); runs: $runs, median shown"
printf '%-10s %-7s %8s | %9s %8s | %9s %8s | %9s %8s | %8s %8s\n' lines strings "file MB" "purpose s" "MiB" "excelize" "MiB" "openpyxl" "MiB" "pur/exc" "opx/pur"
fail=0
for n in "${sizes[@]}"; do
  for variant in shared inline; do
    f="$work/ledger-$n-$variant.xlsx"
    flag=""; [ "$variant" = inline ] && flag=-inline
    "$work/genledger" -lines "$n" $flag -o "$f" 2>/dev/null
    mb=$(awk -v s="$(stat -c %s "$f")" 'BEGIN {printf "%.1f", s/1e6}')
    # The three take turns, run after run, so that a machine that is
    # slower for a while slows them alike.
    : >"$work/p"; : >"$work/e"; : >"$work/o"; : >"$work/b"
    for ((i = 0; i < runs; i++)); do
      # Each run writes into an empty folder: replacing the last run's
      # outputs (deleting 250 MB, which on a disk mounted with discard
      # takes a tenth of a second) is not part of the work measured.
      rm -rf "$work/out"
      once "$work/p" "$work/purpose" run -q --out "$work/out" "$f"
      if [ -n "${BEFORE:-}" ]; then
        rm -rf "$work/out"
        once "$work/b" "$BEFORE" run -q --out "$work/out" "$f"
      fi
      once "$work/e" "$work/excelizeread" "$f"
      once "$work/o" /usr/bin/python3 "$repo/cmd/purpose/bench/openpyxl_read.py" "$f"
    done
    stats "$work/p"; p=$med; pm=$peak
    stats "$work/e"; e=$med; em=$peak
    stats "$work/o"; o=$med; om=$peak
    r1=$(awk -v a="$p" -v b="$e" 'BEGIN {printf "%.2f", a/b}')
    r2=$(awk -v a="$o" -v b="$p" 'BEGIN {printf "%.1f", a/b}')
    printf '%-10s %-7s %8s | %9s %8s | %9s %8s | %9s %8s | %8s %8s\n' "$n" "$variant" "$mb" "$p" "$pm" "$e" "$em" "$o" "$om" "$r1" "$r2"
    if [ -n "${BEFORE:-}" ]; then
      stats "$work/b"
      echo "  before ($BEFORE): $med s, $peak MiB; ratios $(awk -v a="$med" -v b="$e" 'BEGIN {printf "%.2f", a/b}') and $(awk -v a="$o" -v b="$med" 'BEGIN {printf "%.1f", a/b}')"
    fi
    if [ "$n" -ge 1000000 ]; then
      awk -v r="$r1" 'BEGIN {exit !(r <= 0.3)}' || { echo "  target missed: purpose takes $r1 x excelize's read (want <= 0.3)"; fail=1; }
      awk -v r="$r2" 'BEGIN {exit !(r >= 10)}' || { echo "  target missed: openpyxl takes $r2 x purpose (want >= 10)"; fail=1; }
      [ "$pm" -le 200 ] || { echo "  target missed: purpose peaks at $pm MiB (want <= 200)"; fail=1; }
    fi
  done
done
exit $fail
