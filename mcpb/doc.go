// Package mcpb holds the MCP Bundle of tuya-mcp for Claude Desktop: manifest.json, build.sh
// (binaries for every platform, packed with the official mcpb CLI pinned in package.json) and
// a test that packs, unpacks and starts the bundle the way the host does. It has no Go code.
package mcpb
