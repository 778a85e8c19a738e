#!/usr/bin/env bash
# Builds the provider plugin as Pulumi installs plugins: an archive holding the executable pulumi-resource-tfe-tokens
# and the package it runs, with its production dependencies. Install it with
#   pulumi plugin install resource tfe-tokens <version> --file <archive>
# Usage: scripts/plugin-archive.sh [output-dir]   (default dist/plugin); prints the archive's path last.
# The executable runs `node` from PATH, which must be Node.js 22 or later (the package's engines).
# PTT_SKIP_BUILD=1 packs the build that is there (the engine tests, which built it already).
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mkdir -p "${1:-$repo_root/dist/plugin}" && cd "${1:-$repo_root/dist/plugin}" && pwd)
version=$(node -p 'require(process.argv[1]).version' "$repo_root/package.json")
# The SDK is a peer dependency; the archive carries the release the tests run on, not whatever is newest.
sdk=$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$repo_root/package.json")
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ "${PTT_SKIP_BUILD:-}" = 1 ] || (cd "$repo_root" && npm run --silent build)
tarball=$(cd "$repo_root" && npm pack --silent --pack-destination "$work" | tail -1)
mkdir "$work/plugin"
(cd "$work/plugin" && echo '{"private": true}' > package.json \
	&& npm install --prefer-offline --omit=dev --no-audit --no-fund --silent "$work/$tarball" "@pulumi/pulumi@$sdk")
cat > "$work/plugin/pulumi-resource-tfe-tokens" <<'SH'
#!/bin/sh
# Pulumi starts this from the folder the archive was unpacked in; the package lies beside it.
exec node "$(dirname "$(readlink -f "$0")")/node_modules/pulumi-tfe-team-token/dist/provider/plugin/main.js" "$@"
SH
chmod +x "$work/plugin/pulumi-resource-tfe-tokens"
archive="$out/pulumi-resource-tfe-tokens-v$version-$os-$arch.tar.gz"
tar -czf "$archive" -C "$work/plugin" .
echo "$archive"
