#!/usr/bin/env bash
# Makes a Python virtualenv with Pulumi's Python SDK at the version the project tests with, cached under
# $PTT_CACHE/python, and prints its bin folder: put that first on PATH to run a Python program with the Python host
# of scripts/ensure-language-hosts.sh (that host takes the `python3` first on PATH):
#
#   PATH="$(bash scripts/python-env.sh):$PATH" pulumi up
#
# Idempotent and quick once made; only the first run needs PyPI. setuptools and wheel are in it too, so an SDK from
# scripts/gen-sdk.sh installs without the network:
#   pip install --no-index --no-deps --no-build-isolation <out>/python
# Messages go to stderr; stdout is the bin folder alone.
#
# Environment: PTT_CACHE (default ~/.cache/pulumi-tfe-team-token), PTT_PYTHON (default python3).
set -euo pipefail

tool=python-env
. "$(dirname "${BASH_SOURCE[0]}")/go-tools.sh"

# Pulumi's Python SDK: the newest on PyPI (the CLI's own release, v3.276.0, is not published there). The SDKs that
# gen-sdk.sh writes require a pulumi at least as new as their generator knows (>=3.269.0 for v3.276.0).
requirements=(pulumi==3.272.0 setuptools==84.2.1 wheel==0.48.0)

python=${PTT_PYTHON:-python3}
command -v "$python" >/dev/null 2>&1 || die "$python is not on PATH; Python programs need Python >= 3.9"
# One start of the interpreter: behind a version manager's shim each one costs about a second.
py_version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2]); sys.exit(sys.version_info < (3, 9))') ||
  die "$python is Python ${py_version:-of unknown version}; pulumi needs >= 3.9"

# One virtualenv per SDK version and Python version: a virtualenv is tied to the interpreter that made it.
venv="$PTT_CACHE/python/${requirements[0]/==/-}-py$py_version"
marker="$venv/.requirements"

made() { [ -x "$venv/bin/python3" ] && [ "$(cat "$marker" 2>/dev/null)" = "${requirements[*]}" ]; }

if ! made; then
  ptt_lock "$PTT_CACHE/python/.lock"
  if ! made; then
    start=$SECONDS
    log "making $venv with ${requirements[*]}"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${requirements[@]}" >&2 ||
      { rm -rf "$venv"; die "pip could not install ${requirements[*]}"; }
    # Written last: a virtualenv without it is one an interrupted run left half made.
    echo "${requirements[*]}" >"$marker"
    log "made $venv in $((SECONDS - start)) s"
  fi
fi
echo "$venv/bin"
