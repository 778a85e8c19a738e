#!/usr/bin/env bash
# Writes the SDKs of a Pulumi package from its schema, with generators pinned in this repository, so the result does
# not depend on the user's own pulumi:
#
#   bash scripts/gen-sdk.sh --all <out-dir>                    # every SDK of this package, from the schema of the
#                                                              # build in dist/ (`npm run gen-sdk` builds, then
#                                                              # writes sdk/ this way)
#   bash scripts/gen-sdk.sh <schema.json> <language> <out-dir> # one SDK into <out-dir>/<language>, replacing it
#   bash scripts/gen-sdk.sh --prepare                          # builds the generator; writes no SDK
#
# python, go, dotnet: tools/gen-sdk, the code generators of the CLI's own pkg/v3 release and of pulumi-dotnet's host
# called directly, built once with Go and cached in $PTT_CACHE/gen-sdk. go also writes <out-dir>/go.mod and go.sum:
# the Go module is the whole SDK folder (`go mod tidy` completes it, which needs the Go module proxy or its cache).
# java: `pulumi package gen-sdk --language java` with the Java host built from tools/pulumi-language-java (the CLI
# asks that host to generate), then tools/gen-sdk adds the Maven pom.xml and plugin.json.
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
# The SDKs of this package; sdk/ holds them.
languages="python go java dotnet"

ensure_generator() {
  [ -x "$generator" ] && return 0
  ptt_lock "$PTT_CACHE/gen-sdk/.lock"
  [ -x "$generator" ] && return 0
  rm -f "$PTT_CACHE"/gen-sdk/gen-sdk-*
  ptt_go_build "$module" . "$generator" ""
}

java_sdk() {
  local schema=$1 out=$2 cli
  bash "$ptt_repo_root/scripts/ensure-pulumi.sh" >&2
  bash "$ptt_repo_root/scripts/ensure-language-hosts.sh" --pinned java
  cli=$(PATH="$PATH:$ptt_bin_dir" command -v pulumi)
  rm -rf "$out/java"
  # Java is not a host the CLI looks for beside itself, so it comes from PATH (the CLI warns that it does), first
  # there so a Java host of the user's own is not the one asked.
  PATH="$ptt_bin_dir:$PATH" "$cli" package gen-sdk "$schema" --language java --out "$out" >&2
  "$generator" "$schema" java "$out" >&2
}

one() {
  local schema=$1 language=$2 out=$3
  ensure_generator
  case $language in
    java) java_sdk "$schema" "$out" ;;
    go)
      "$generator" "$schema" go "$out" >&2
      (cd "$out" && GOFLAGS=-mod=mod go mod tidy) >&2 || die "go mod tidy in $out failed (above): it needs the Go module proxy once"
      ;;
    *) "$generator" "$schema" "$language" "$out" >&2 ;;
  esac
}

case "${1:-}" in
  --prepare)
    ensure_generator
    log "SDKs will come from $generator"
    ;;
  --all)
    [ "$#" = 2 ] || die "usage: gen-sdk.sh --all <out-dir>"
    out=$2
    built="$ptt_repo_root/dist/provider/plugin/schema.js"
    [ -f "$built" ] || die "no build at $built: run npm run build first (npm run gen-sdk does)"
    mkdir -p "$out"
    ensure_generator
    # Named .json: the CLI takes a schema argument without that ending for a plugin's name.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    schema="$tmp/schema.json"
    # The text the plugin serves (GetSchema), from the same module.
    node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]).schema))' "$built" >"$schema"
    for language in $languages; do
      one "$schema" "$language" "$out"
    done
    log "wrote the $languages SDKs into $out"
    ;;
  *)
    [ "$#" = 3 ] || die "usage: gen-sdk.sh <schema.json> <language> <out-dir> | --all <out-dir> | --prepare"
    [ -f "$1" ] || die "no schema file at $1"
    one "$@"
    ;;
esac
