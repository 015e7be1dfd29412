// Prints the MCP server configuration that Claude Desktop derives from an unpacked bundle's
// manifest and the user's settings, with the mcpb library's own function:
//   node resolve.mjs BUNDLE_DIR USER_CONFIG_JSON
// It prints null when a required setting is missing (the host then does not start the server).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getMcpConfigForManifest } from "@anthropic-ai/mcpb";

const [dir, userConfig] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
const config = await getMcpConfigForManifest({
  manifest,
  extensionPath: dir,
  systemDirs: {},
  userConfig: JSON.parse(userConfig),
  pathSeparator: "/",
});
console.log(JSON.stringify(config ?? null));
