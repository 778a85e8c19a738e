#!/usr/bin/env bash
# Runs a command with the Pulumi CLI, its Node.js language host and the dynamic-provider shim on PATH, whatever the
# shell's PATH was: scripts/ensure-pulumi.sh finds or builds them, and its bin dir goes after the user's own PATH
# entries, so a regular Pulumi install keeps precedence. The npm scripts demo, test:e2e and bench start through it.
# With --languages first, the YAML and Python hosts too (scripts/ensure-language-hosts.sh): the provider plugin's
# engine tests need them, the TypeScript path does not wait for them.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PTT_CACHE="${PTT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-tfe-team-token}"
export PTT_CACHE
bash "$repo_root/scripts/ensure-pulumi.sh"
if [ "${1:-}" = --languages ]; then
  shift
  bash "$repo_root/scripts/ensure-language-hosts.sh"
fi
export PATH="$PATH:$PTT_CACHE/pulumi/bin" PULUMI_SKIP_UPDATE_CHECK=true
exec "$@"
