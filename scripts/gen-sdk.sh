#!/usr/bin/env bash
# Writes the SDK of a Pulumi package for one language from its schema (a JSON file), into <out-dir>/<language>,
# replacing what was there (the layout of `pulumi package gen-sdk --out <out-dir>`):
#
#   bash scripts/gen-sdk.sh <schema.json> <language> <out-dir>
#   bash scripts/gen-sdk.sh --prepare     # builds the generator below if it would be used; writes no SDK
#
# With the user's own `pulumi` on PATH it runs `pulumi package gen-sdk`, which a current install can do for every
# language. Otherwise, or when that fails, it runs tools/gen-sdk: the code generators of the CLI's own pkg/v3
# release called directly (python and go), built once with Go and cached in $PTT_CACHE/gen-sdk. That is the way with
# the CLI of scripts/ensure-pulumi.sh, whose gen-sdk asks the language host for the SDK and the Python host built
# here is too old to answer ("method GeneratePackage not implemented").
#
# Environment: PTT_CACHE (default ~/.cache/pulumi-tfe-team-token).
set -euo pipefail

tool=gen-sdk
. "$(dirname "${BASH_SOURCE[0]}")/go-tools.sh"

module="$ptt_repo_root/tools/gen-sdk"
pkg_v3=github.com/pulumi/pulumi/pkg/v3
want=$(ptt_pinned "$module" "$pkg_v3")
cli_version=$(ptt_pinned "$ptt_repo_root/tools/pulumi-cli" "$pkg_v3")
[ "$want" = "$cli_version" ] ||
  die "tools/gen-sdk/go.mod has $pkg_v3 ${want:-?}, the CLI (tools/pulumi-cli/go.mod) ${cli_version:-?}: pin the same release in both"
# Named after its sources too, so a change to the program is built, not an older build used (cksum: POSIX, where
# macOS has no sha256sum).
generator="$PTT_CACHE/gen-sdk/gen-sdk-$want-$(cat "$module/go.mod" "$module/go.sum" "$module"/*.go | cksum | cut -d' ' -f1)"

ensure_generator() {
  [ -x "$generator" ] && return 0
  ptt_lock "$PTT_CACHE/gen-sdk/.lock"
  [ -x "$generator" ] && return 0
  rm -f "$PTT_CACHE"/gen-sdk/gen-sdk-*
  ptt_go_build "$module" . "$generator" ""
}

if [ "${1:-}" = --prepare ]; then
  if cli=$(ptt_own pulumi); then
    log "SDKs will come from $cli (package gen-sdk)"
  else
    ensure_generator
    log "SDKs will come from $generator"
  fi
  exit 0
fi

[ "$#" = 3 ] || die "usage: gen-sdk.sh <schema.json> <language> <out-dir>"
schema=$1 language=$2 out=$3
[ -f "$schema" ] || die "no schema file at $schema"

if cli=$(ptt_own pulumi); then
  if "$cli" package gen-sdk "$schema" --language "$language" --out "$out" >&2; then
    log "wrote the $language SDK into $out/$language with $cli"
    exit 0
  fi
  log "$cli package gen-sdk failed (output above); using the generator of $pkg_v3 $want instead"
fi
ensure_generator
"$generator" "$schema" "$language" "$out" >&2
