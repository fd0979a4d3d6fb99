#!/usr/bin/env bash
# Makes bench/.venv, the Python peers' environment, from the package registry with the versions pinned in
# bench/requirements.txt; does nothing when it is already there with those versions. Prints the python to use.
#   usage: PY=$(bench/venv.sh)
# Where the default index cannot be reached (machines without internet), pip retries each lookup there: PIP_RETRIES
# (default 1) keeps that short; the packages come from the local wheel store that pip.conf names.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/.venv
stamp="$venv/.requirements.sha256"
want=$(sha256sum bench/requirements.txt | cut -c1-64)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bench/venv.sh: making $venv (pinned: $(grep -v '^#' bench/requirements.txt | tr '\n' ' '))" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --retries "${PIP_RETRIES:-1}" -r bench/requirements.txt >&2 \
    || { echo "bench/venv.sh: pip could not install bench/requirements.txt (see above)" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
echo "$PWD/$venv/bin/python"
