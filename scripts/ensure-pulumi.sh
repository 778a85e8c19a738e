#!/usr/bin/env bash
# Makes the Pulumi CLI and the Node.js language host available for the demo, the engine tests, the benchmarks and
# CI. Idempotent; safe to run often. Each of the two programs comes from, in order:
#
#   1. the user's own install: `pulumi` and `pulumi-language-nodejs` on PATH (or the host next to that `pulumi`);
#   2. a build cached in $PTT_CACHE/pulumi/bin, if it is the wanted version;
#   3. a build from source with Go, into $PTT_CACHE/pulumi/bin:
#      - the CLI from the wrapper module tools/pulumi-cli (about 6 minutes cold on 2 cores);
#      - the language host from tools/pulumi-language-nodejs (about 30 s). It lives in sdk/v3 only up to v3.68.0,
#        so it is older than the CLI; the two speak a stable protocol, and the SDK that runs the program is the
#        project's own @pulumi/pulumi.
#      Their go.mod/go.sum pin the releases; only the Go module proxy is needed, not Pulumi's download host.
#
# The dynamic-provider shim scripts/pulumi-resource-pulumi-nodejs is copied into the same bin dir, where the engine
# looks for the bundled "pulumi-nodejs" plugin (next to the `pulumi` binary, or on PATH). A copy, not a link: the
# bin dir serves every project on the machine and outlives the checkout that filled it.
# scripts/with-pulumi.sh runs this and then a command with that bin dir on PATH (after the user's own).
#
# Environment: PTT_CACHE (default ~/.cache/pulumi-tfe-team-token), PTT_PULUMI_REBUILD=1 to rebuild both.
set -euo pipefail

tool=ensure-pulumi
. "$(dirname "${BASH_SOURCE[0]}")/go-tools.sh"
# This script's messages go to stdout, as they always have: the caches' tests and users' logs read them there.
log() { echo "$tool: $*"; }
cli_module="$ptt_repo_root/tools/pulumi-cli"
host_module="$ptt_repo_root/tools/pulumi-language-nodejs"
bin_dir="$ptt_bin_dir"
shim="$ptt_repo_root/scripts/pulumi-resource-pulumi-nodejs"

want_cli=$(ptt_pinned "$cli_module" github.com/pulumi/pulumi/pkg/v3)
want_host=$(ptt_pinned "$host_module" github.com/pulumi/pulumi/sdk/v3)
[ -n "$want_cli" ] && [ -n "$want_host" ] || die "cannot read the pinned versions from tools/*/go.mod"

cli_version() { "$1" version 2>/dev/null | tr -d '[:space:]'; }
# The host has no version flag; the build writes the version it was built from beside it.
host_version() { cat "$1.version" 2>/dev/null; }

need_cli=1
need_host=1
if [ "${PTT_PULUMI_REBUILD:-}" != 1 ]; then
  if cli=$(ptt_own pulumi); then
    need_cli=0
    v=$(cli_version "$cli" || true)
    log "using pulumi from PATH: $cli (${v:-version unknown})"
    [ "$v" = "$want_cli" ] || log "note: this project is tested with pulumi $want_cli"
    # A regular install ships the host beside the CLI.
    if host=$(ptt_own pulumi-language-nodejs) || [ -x "$(dirname "$(readlink -f "$cli")")/pulumi-language-nodejs" ]; then
      need_host=0
      log "using the Node.js language host of that install${host:+: $host}"
    fi
  elif [ -x "$bin_dir/pulumi" ] && [ "$(cli_version "$bin_dir/pulumi" || true)" = "$want_cli" ]; then
    need_cli=0
  fi
  if [ "$need_host" = 1 ] && [ -x "$bin_dir/pulumi-language-nodejs" ] && [ "$(host_version "$bin_dir/pulumi-language-nodejs")" = "$want_host" ]; then
    need_host=0
  fi
fi

install_shim() {
  local tmp
  mkdir -p "$bin_dir"
  # Written beside it and renamed into place, so an engine starting it meanwhile runs the old or the new one whole;
  # the rename also replaces the link to a checkout that earlier versions of this script left there.
  tmp=$(mktemp "$bin_dir/.pulumi-resource-pulumi-nodejs.XXXXXX")
  cp "$shim" "$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$bin_dir/pulumi-resource-pulumi-nodejs"
}

if [ "$need_cli" = 0 ] && [ "$need_host" = 0 ]; then
  install_shim
  log "pulumi and pulumi-language-nodejs ready"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "pulumi (or its Node.js language host) is not on PATH and Go is not installed to build it (need Go >= 1.26); install Pulumi and put it on PATH instead"
mkdir -p "$bin_dir"

# One build at a time; a second caller waits, then runs this script again and finds the result.
if [ -z "${PTT_PULUMI_LOCKED:-}" ]; then
  ptt_lock "$PTT_CACHE/pulumi/.build.lock"
  PTT_PULUMI_LOCKED=1 exec bash "${BASH_SOURCE[0]}"
fi
build_start=$SECONDS
version_flag="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"

if [ "$need_cli" = 1 ]; then
  log "(the CLI, cold: about 6 minutes on 2 cores, plus module downloads; Go's caches make later builds quick)"
  ptt_go_build "$cli_module" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin_dir/pulumi" "$version_flag=$want_cli"
  got=$(cli_version "$bin_dir/pulumi" || true)
  [ "$got" = "$want_cli" ] || die "the built CLI reports version '$got', expected $want_cli"
fi
if [ "$need_host" = 1 ]; then
  ptt_go_build "$host_module" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$bin_dir/pulumi-language-nodejs" "$version_flag=$want_host"
  echo "$want_host" >"$bin_dir/pulumi-language-nodejs.version"
fi

install_shim
log "ready in $bin_dir (total $((SECONDS - build_start)) s)"
