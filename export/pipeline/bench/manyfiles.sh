#!/usr/bin/env bash
# Many files: how purpose run FOLDER's peak memory grows with the number of
# files (100, 400, 2,000 distinct copies of samples/budget.xlsx, 534 lines
# each, made by genmany), and how much faster it is on two cores than
# pinned to one (taskset -c 0), on 400 files.
#   bash export/pipeline/bench/manyfiles.sh            # 100 400 2000
#   bash export/pipeline/bench/manyfiles.sh 100 400    # some sizes
#   BEFORE=/path/to/old/purpose bash ...               # an older build too
# Needs GNU time (/usr/bin/time) and taskset (util-linux).
set -euo pipefail
cd "$(dirname "$0")/../../.."
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(100 400 2000); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/purpose" ./cmd/purpose
go build -o "$work/genmany" ./export/pipeline/bench/genmany
builds=("$work/purpose")
if [ -n "${BEFORE:-}" ]; then builds+=("$BEFORE"); fi

# measure BUILD DIR [taskset args...]: prints seconds and peak MiB.
measure() {
  local bin=$1 dir=$2
  shift 2
  rm -rf "$work/out"
  "$@" /usr/bin/time -f '%e %M' -o "$work/time" "$bin" run -q --out "$work/out" "$dir" > /dev/null 2>&1
  read -r secs kib < "$work/time"
  echo "$secs $((kib / 1024))"
}

printf '%-8s %-10s %10s %10s\n' files build seconds "peak MiB"
for n in "${sizes[@]}"; do
  rm -rf "$work/in"
  "$work/genmany" -n "$n" -out "$work/in"
  for b in "${builds[@]}"; do
    read -r secs mib < <(measure "$b" "$work/in")
    printf '%-8s %-10s %10s %10s\n' "$n" "$( [ "$b" = "$work/purpose" ] && echo this || echo before)" "$secs" "$mib"
  done
done

n=400
rm -rf "$work/in"
"$work/genmany" -n "$n" -out "$work/in"
echo
printf '%-10s %12s %12s %8s\n' build "2 cores s" "1 core s" speedup
for b in "${builds[@]}"; do
  read -r two _ < <(measure "$b" "$work/in" taskset -c 0,1)
  read -r one _ < <(measure "$b" "$work/in" taskset -c 0)
  printf '%-10s %12s %12s %8s\n' "$( [ "$b" = "$work/purpose" ] && echo this || echo before)" "$two" "$one" "$(awk -v a="$one" -v b="$two" 'BEGIN{printf "%.2f", a/b}')"
done
