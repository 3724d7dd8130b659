#!/usr/bin/env bash
# The two set-up commands of the README. Each creates .venv if needed and installs what it needs.
#   ./dev.sh generate   install the generator, then generate generated/ from spec/posthog.yaml
#   ./dev.sh test       install everything, validate the spec, check generated/ for drift, run the suite
set -euo pipefail
cd "$(dirname "$0")"

venv() {
  if [ ! -x .venv/bin/python ]; then
    "${PYTHON:-python3}" -m venv .venv
  fi
}

case "${1:-}" in
  generate)
    venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
    .venv/bin/python -m generator generate "${@:2}"
    ;;
  test)
    venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]" -e generated/client -e generated/server
    .venv/bin/python -m generator validate spec/posthog.yaml
    .venv/bin/python -m generator check
    .venv/bin/python -m pytest -q "${@:2}"
    ;;
  *)
    echo "usage: ./dev.sh generate|test [args]" >&2
    exit 2
    ;;
esac
