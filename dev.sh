#!/usr/bin/env bash
# The set-up commands of the README. Each creates its virtual environment if needed and installs what it needs,
# pinned by constraints.txt; a second run skips the install when nothing it installs from has changed.
#   ./dev.sh generate            install the generator, then generate generated/ from spec/posthog.yaml
#   ./dev.sh test [ARGS]         install everything, validate the spec, check generated/ for drift, run the suite
#   ./dev.sh test --latest       the same against the newest releases (in .venv-latest), to find drift on purpose
#   ./dev.sh lock                refresh constraints.txt from the newest releases (then run ./dev.sh test)
set -euo pipefail
cd "$(dirname "$0")"
trap 'echo "dev.sh: interrupted" >&2; exit 130' INT

say() { echo "dev.sh: $*" >&2; }

PYTHON_BIN="${PYTHON:-python3}"
PIP_QUIET=(--quiet --quiet --disable-pip-version-check)  # errors only: machine-wide index warnings are not ours
DEV_SOURCES=(-e ".[dev]" -e generated/client -e generated/server)
STAMPED_FILES=(constraints.txt pyproject.toml generated/client/pyproject.toml generated/server/pyproject.toml dev.sh)

# venv DIR: create DIR unless it already holds a working Python.
venv() {
  if [ ! -x "$1/bin/python" ]; then
    say "creating the virtual environment $1"
    "$PYTHON_BIN" -m venv "$1"
  fi
}

# install DIR STAMP_NAME PIP_ARGS...: pip install, skipped when the stamp says the same inputs were installed.
install() {
  local dir=$1 name=$2
  shift 2
  local stamp="$dir/.dev-sh-$name" digest
  digest=$({ "$dir/bin/python" -VV; printf '%s\n' "$@"; cat "${STAMPED_FILES[@]}" 2>/dev/null; } | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    say "dependencies unchanged since the last install into $dir; skipping pip"
    return
  fi
  say "installing into $dir: $* (a minute the first time)"
  rm -f "$stamp"
  "$dir/bin/python" -m pip install "${PIP_QUIET[@]}" "$@"
  echo "$digest" > "$stamp"
}

run_suite() {
  local py=$1
  shift
  say "validating the document pyproject.toml configures (spec/posthog.yaml) with its rule set"
  "$py" -m generator validate
  say "checking that generated/ is what the generator makes now"
  "$py" -m generator check
  say "running the test suite (pytest -q $*)"
  "$py" -m pytest -q "$@"
}

case "${1:-}" in
  generate)
    venv .venv
    install .venv generate -c constraints.txt -e .
    say "generating generated/ from spec/posthog.yaml"
    .venv/bin/python -m generator generate "${@:2}"
    ;;
  test)
    if [ "${2:-}" = "--latest" ]; then
      venv .venv-latest
      rm -f .venv-latest/.dev-sh-latest  # the point is to ask PyPI again every time
      install .venv-latest latest --upgrade --upgrade-strategy eager "${DEV_SOURCES[@]}"
      run_suite .venv-latest/bin/python "${@:3}"
    else
      venv .venv
      install .venv test -c constraints.txt "${DEV_SOURCES[@]}"
      run_suite .venv/bin/python "${@:2}"
    fi
    ;;
  lock)
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    say "resolving the newest releases in a throwaway environment"
    "$PYTHON_BIN" -m venv "$scratch/venv"
    "$scratch/venv/bin/python" -m pip install "${PIP_QUIET[@]}" "${DEV_SOURCES[@]}"
    say "writing constraints.txt"
    {
      echo "# Exact versions the suite passes with; pip install -c constraints.txt. Refresh: ./dev.sh lock"
      "$scratch/venv/bin/python" -m pip freeze --exclude-editable --disable-pip-version-check | grep -v -i -E '^(specgen|pip|setuptools|wheel)=='
    } > constraints.txt
    say "constraints.txt: $(grep -c '==' constraints.txt) pins; run ./dev.sh test, then commit it"
    ;;
  *)
    echo "usage: ./dev.sh generate [ARGS] | test [--latest] [ARGS] | lock" >&2
    exit 2
    ;;
esac
