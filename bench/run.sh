#!/usr/bin/env bash
# End-to-end timings: podlint on one small pod file and on generated corpora, beside the floor (a
# binary that links the same packages and exits). Prints a table of medians and peak memory, then
# the one-file run's distance from the floor and the speed-up of -j N over -j 1, and the pre-commit
# case: one Service file named in a repository of FILES manifest files (its index cached) against
# the same file in an empty repository.
#
#   bash bench/run.sh            # 10,000 objects in 2,000 files, and 2,000 one-pod files
#   N=2000 FILES=400 bash bench/run.sh
#   BASE=main bash bench/run.sh  # also: the same runs of BASE and of this tree, side by side
#
# Needs hyperfine (Debian package; installed when missing and apt-get is available). Timings are
# noisy on a shared machine: compare the rows of one run with each other, not across runs.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
FILES=${FILES:-2000}
RUNS=${RUNS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v hyperfine >/dev/null; then
  if command -v apt-get >/dev/null; then
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq hyperfine >/dev/null
  fi
fi
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (Debian package time)" >&2; exit 2; }

echo "building podlint and the floor..." >&2
go build -trimpath -o "$work/podlint" ./cmd/podlint
go build -trimpath -o "$work/floor" ./internal/bench/floor
if [ -n "${BASE:-}" ]; then
  mkdir "$work/base"
  git archive "$BASE" | tar -x -C "$work/base"
  (cd "$work/base" && go build -trimpath -o "$work/podlint-base" ./cmd/podlint)
fi
go run ./internal/bench/gen -n "$N" -files "$FILES" -out "$work/corpus"
# one pod object per file, the shape pre-commit and most comparisons use
go run ./internal/bench/gen -n "$FILES" -files "$FILES" -out "$work/single"
one="fixtures/examples/kubia-manual.yaml"
cores=$(nproc)
# the pre-commit case: a Service file alone in a repository, and the same file beside FILES
# manifest files; the second repository's index is cached by the warm-up runs
mkdir -p "$work/empty/.git" "$work/repo/.git"
cp -r "$work/single/." "$work/repo/"
printf '%s\n' 'apiVersion: v1' 'kind: Service' 'metadata:' '  name: web' '  namespace: team-1' 'spec:' \
  '  selector:' '    app: svc-00001' '  ports:' '  - {name: http, port: 80, targetPort: http-0}' \
  '  - {name: admin, port: 8081, targetPort: admin}' > "$work/empty/service.yaml"
cp "$work/empty/service.yaml" "$work/repo/service.yaml"
export PODLINT_CACHE_DIR="$work/cache"

# median wall time in ms of a command, from hyperfine's JSON export
median() {
  local name=$1; shift
  hyperfine -N --style none --warmup 3 --runs "$RUNS" -i --export-json "$work/$name.json" "$*" >/dev/null 2>&1
  python3 -c "import json,sys; print('%.1f' % (json.load(open(sys.argv[1]))['results'][0]['median']*1000))" "$work/$name.json"
}

# peak resident memory in MB, the median of three runs
peak() {
  for _ in 1 2 3; do
    /usr/bin/time -f '%M' "$@" >/dev/null 2>"$work/time.txt" || true
    tail -n 1 "$work/time.txt"
  done | sort -n | sed -n 2p | awk '{printf "%.1f", $1/1024}'
}

printf '| run | median wall (ms) | peak memory (MB) |\n|---|---:|---:|\n'
f=$(median floor "$work/floor")
printf '| floor (links the same packages, exits) | %s | %s |\n' "$f" "$(peak "$work/floor")"
o=$(median one "$work/podlint" "$one")
printf '| podlint, one small pod file | %s | %s |\n' "$o" "$(peak "$work/podlint" "$one")"
s=$(median single "$work/podlint" -j "$cores" "$work/single")
printf '| podlint, %s files of one pod object, -j %s | %s | %s |\n' "$FILES" "$cores" "$s" "$(peak "$work/podlint" -j "$cores" "$work/single")"
c1=$(median corpus1 "$work/podlint" -j 1 "$work/corpus")
printf '| podlint, %s objects in %s files, -j 1 | %s | %s |\n' "$N" "$FILES" "$c1" "$(peak "$work/podlint" -j 1 "$work/corpus")"
cn=$(median corpusn "$work/podlint" -j "$cores" "$work/corpus")
printf '| podlint, %s objects in %s files, -j %s | %s | %s |\n' "$N" "$FILES" "$cores" "$cn" "$(peak "$work/podlint" -j "$cores" "$work/corpus")"
se=$(median svcempty "$work/podlint" "$work/empty/service.yaml")
printf '| podlint, one Service file in an empty repository | %s | %s |\n' "$se" "$(peak "$work/podlint" "$work/empty/service.yaml")"
sr=$(median svcrepo "$work/podlint" "$work/repo/service.yaml")
printf '| podlint, one Service file in a repository of %s manifest files, index cached | %s | %s |\n' "$FILES" "$sr" "$(peak "$work/podlint" "$work/repo/service.yaml")"
python3 -c "import sys; print('\none file above the floor: %.1f ms' % (float(sys.argv[1]) - float(sys.argv[2])))" "$o" "$f"
python3 -c "import sys; print('-j %s over -j 1: %.2fx' % (sys.argv[3], float(sys.argv[1]) / float(sys.argv[2])))" "$c1" "$cn" "$cores"
python3 -c "import sys; print('one Service file, %s-file repository over empty repository: %.2fx (target: at most 3x)' % (sys.argv[3], float(sys.argv[1]) / float(sys.argv[2])))" "$sr" "$se" "$FILES"

if [ -n "${BASE:-}" ]; then
  # Alternating pairs (base, this tree, base, ...) so that the machine's load falls on both alike;
  # medians of wall and CPU time, and their ratios.
  pairs() {
    python3 - "$RUNS" "$work/podlint-base" "$work/podlint" "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs, base, new, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
def one(binary):
    t0, c0 = time.perf_counter(), os.times()
    subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c1 = os.times()
    return time.perf_counter() - t0, (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
for _ in range(2):
    one(base); one(new)
b, n = [], []
for _ in range(runs):
    b.append(one(base)); n.append(one(new))
med = lambda xs, i: statistics.median(x[i] for x in xs) * 1000
print("| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |" % (" ".join(args).replace(os.path.dirname(new) + "/", ""),
      med(b, 0), med(n, 0), med(n, 0) / med(b, 0), med(b, 1), med(n, 1), med(n, 1) / med(b, 1)))
PY
  }
  printf '\nside by side with %s (alternating runs; ms)\n\n' "$BASE"
  printf '| podlint arguments | base wall | wall | ratio | base CPU | CPU | ratio |\n|---|---:|---:|---:|---:|---:|---:|\n'
  pairs "$one"
  pairs -j "$cores" "$work/single"
  pairs -j "$cores" "$work/corpus"
fi
