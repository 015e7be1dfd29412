#!/bin/sh
# Runs the tuya-mcp binary of this bundle built for this machine's system and processor.
# (Windows runs its .exe directly: see platform_overrides in manifest.json.)
dir=$(dirname "$0")
case $(uname -s) in
Darwin) os=darwin ;;
Linux) os=linux ;;
*) echo "tuya-mcp: this bundle has no binary for $(uname -s)" >&2; exit 1 ;;
esac
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
arm64 | aarch64) arch=arm64 ;;
*) echo "tuya-mcp: this bundle has no binary for $(uname -m)" >&2; exit 1 ;;
esac
exec "$dir/tuya-mcp-$os-$arch" "$@"
