#!/usr/bin/env bash
# The default suite (the README's test command) run several times in a row while every core
# is kept busy by a CPU hog, to prove the tests do not depend on the machine being idle.
#
#   tests/stress.sh                 # 3 runs, one hog per core
#   STRESS_RUNS=1 tests/stress.sh tests/test_daemon.py   # extra arguments go to pytest
#
# Prints one line per run (green/red, wall seconds, pytest's summary) and keeps each run's
# output in a log directory; exits 1 if any run was red. Needs only Python: the hogs are
# `python3 -c 'while True: pass'`, one per core, stopped when the script ends.
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${STRESS_RUNS:-3}
hogs=${STRESS_HOGS:-$(nproc)}
logs=${STRESS_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/mtwatch-stress.XXXXXX")}
mkdir -p "$logs"

if [ -z "${MTWATCH_TEST_PG_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 \
    && pg_isready -q -h 127.0.0.1 -p 5432; then
  export MTWATCH_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
fi

# As .ci/run does: compile the project's modules once, so the suite's many processes read
# bytecode instead of each compiling them again (this machine sets PYTHONDONTWRITEBYTECODE).
.venv/bin/python -m compileall -q crawler pipelines tests bench >/dev/null

hog_pids=()
stop_hogs() {
  for pid in "${hog_pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM
for _ in $(seq "$hogs"); do
  python3 -c 'while True: pass' &
  hog_pids+=("$!")
done
echo "stress: $hogs CPU hog(s) running (pids ${hog_pids[*]}); logs in $logs"

red=0
for n in $(seq "$runs"); do
  log="$logs/run-$n.log"
  started=$(date +%s)
  if .venv/bin/pytest -p no:cacheprovider "$@" >"$log" 2>&1; then
    verdict=green
  else
    verdict=red
    red=1
  fi
  seconds=$(($(date +%s) - started))
  summary=$(grep -E '(passed|failed|error).* in [0-9.]+s' "$log" | tail -1 | tr -d '=')
  echo "run $n: $verdict in ${seconds} s:${summary:- (no summary, see $log)}"
  [ "$verdict" = red ] && grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/    /'
done
exit "$red"
