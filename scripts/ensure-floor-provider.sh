#!/usr/bin/env bash
# Builds the bench's floor plugin, pulumi-resource-tfe-floor (tools/floor-provider: a do-nothing provider on the
# Pulumi Go SDK), into the cache unless a build of the same sources is there, and prints the binary's path.
# Only the Go module proxy is needed, once.
set -euo pipefail

tool=ensure-floor-provider
. "$(dirname "${BASH_SOURCE[0]}")/go-tools.sh"

src="$ptt_repo_root/tools/floor-provider"
key=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-16)
out="$PTT_CACHE/floor-provider/$key/pulumi-resource-tfe-floor"
if [ ! -x "$out" ]; then
  ptt_lock "$PTT_CACHE/floor-provider/.lock"
  # Another caller may have built it while this one waited for the lock.
  [ -x "$out" ] || ptt_go_build "$src" . "$out" ""
fi
echo "$out"
