#!/usr/bin/env bash
# Builds tuya-mcp for each platform and packs them into one MCP Bundle for Claude Desktop,
# dist/tuya-mcp-VERSION.mcpb, with the mcpb CLI pinned in package.json (run `npm ci` here first).
#
#   VERSION    the bundle's and the binaries' version (default 0.0.0-dev)
#   PLATFORMS  GOOS/GOARCH pairs to build (default: every platform the bundle supports; the
#              test builds only the host's, to keep CI short)
#   OUT        directory of the bundle (default dist)
set -euo pipefail
cd "$(dirname "$0")"
version=${VERSION:-0.0.0-dev}
version=${version#v}
platforms=${PLATFORMS:-linux/amd64 linux/arm64 darwin/arm64 darwin/amd64 windows/amd64}
out=${OUT:-dist}
mcpb=node_modules/.bin/mcpb
if [ ! -x "$mcpb" ]; then
	echo "build.sh: the mcpb CLI is not installed: run npm ci in $(pwd)" >&2
	exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/server" "$out"
for p in $platforms; do
	os=${p%/*} arch=${p#*/} ext=
	[ "$os" = windows ] && ext=.exe
	echo "building $os/$arch" >&2
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w -X main.version=v$version" \
		-o "$stage/server/tuya-mcp-$os-$arch$ext" ../cmd/tuya-mcp
done
cp launcher.sh "$stage/server/tuya-mcp"
chmod 755 "$stage/server/tuya-mcp"
cp ../LICENSE "$stage/LICENSE"
node -e '
const fs = require("fs");
const m = JSON.parse(fs.readFileSync("manifest.json", "utf8"));
m.version = process.argv[1];
fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");
' "$version" "$stage/manifest.json"
"$mcpb" validate "$stage/manifest.json" >&2
"$mcpb" pack "$stage" "$out/tuya-mcp-$version.mcpb" >&2
# The path as the caller can use it: the script ran in mcpb/.
bundle=$(cd "$out" && pwd)/tuya-mcp-$version.mcpb
echo "$bundle"
