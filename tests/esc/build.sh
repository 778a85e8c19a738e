#!/usr/bin/env bash
# Builds the program of tests/esc (ESC's evaluator with a stand-in for Pulumi Cloud's external caller) into the tool
# cache once, and prints its path; a change to its sources makes a new build. Go fetches the modules go.sum pins
# through the module proxy into its module cache, so a fresh machine needs only Go and the proxy.
#
#   bash tests/esc/build.sh        (tests/e2e/esc.test.ts runs it)
set -euo pipefail

tool=esc-eval
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/go-tools.sh"

module="$ptt_repo_root/tests/esc"
# Named after its sources (cksum: POSIX, where macOS has no sha256sum), as scripts/gen-sdk.sh names its generator.
program="$PTT_CACHE/esc-eval/esc-eval-$(cat "$module/go.mod" "$module/go.sum" "$module"/*.go | cksum | cut -d' ' -f1)"

if [ ! -x "$program" ]; then
  ptt_lock "$PTT_CACHE/esc-eval/.lock"
  if [ ! -x "$program" ]; then
    rm -f "$PTT_CACHE"/esc-eval/esc-eval-*
    ptt_go_build "$module" . "$program" ""
  fi
fi
echo "$program"
