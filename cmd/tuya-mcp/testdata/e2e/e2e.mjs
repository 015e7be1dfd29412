// End-to-end check of tuya-mcp with the official MCP TypeScript SDK as a third-party client.
//
//   node e2e.mjs /path/to/tuya-mcp
//
// Env: E2E_SCALE_ID, a sandbox device with device users (sandbox.DemoScaleID).
// It drives the binary over stdio and over Streamable HTTP, both on the built-in sandbox, then
// over stdio on a standalone sandbox answering with every quirk of the real cloud, and exits
// non-zero on the first failure. The SDK validates every structuredContent against the
// tool's outputSchema, which makes it an independent check of the schemas too.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

const bin = process.argv[2];
const scaleId = process.env.E2E_SCALE_ID;
const lampId = process.env.E2E_LAMP_ID;
if (!bin || !scaleId || !lampId) {
  console.error("usage: E2E_SCALE_ID=<device id> E2E_LAMP_ID=<device id> node e2e.mjs /path/to/tuya-mcp");
  process.exit(2);
}

// The catalogue of design.md, written out independently of the Go code:
// name -> [readOnly, destructive, idempotent].
const catalogue = {
  user_sync: [false, true, true],
  user_list: [true, false, true],
  user_get: [true, false, true],
  device_get: [true, false, true],
  device_list: [true, false, true],
  user_device_list: [true, false, true],
  device_log_list: [true, false, true],
  device_rename: [false, false, true],
  device_function_rename: [false, false, true],
  device_factory_reset: [false, true, true],
  device_delete: [false, true, true],
  device_sub_device_list: [true, false, true],
  device_factory_info_list: [true, false, true],
  device_outlet_name_set: [false, false, true],
  device_outlet_name_list: [true, false, true],
  device_user_add: [false, false, false],
  device_user_edit: [false, false, true],
  device_user_delete: [false, true, true],
  device_user_get: [true, false, true],
  device_user_list: [true, false, true],
  device_status_get: [true, false, true],
  device_specification_get: [true, false, true],
  category_function_list: [true, false, true],
  device_command_send: [false, false, false],
};

async function checkTools(client) {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), Object.keys(catalogue).sort(), "listed tool names");
  for (const t of tools) {
    const [readOnly, destructive, idempotent] = catalogue[t.name];
    assert.deepEqual(
      t.annotations,
      {
        ...t.annotations,
        readOnlyHint: readOnly,
        destructiveHint: destructive,
        idempotentHint: idempotent,
        openWorldHint: true,
      },
      `annotations of ${t.name}`,
    );
    assert.ok(t.title || t.annotations.title, `${t.name} has a title`);
    assert.equal(t.inputSchema.type, "object", `${t.name} input schema root`);
    assert.equal(t.outputSchema?.type, "object", `${t.name} output schema root`);
    assert.match(t.name, /^[a-z0-9_]{1,40}$/);
  }
}

function text(result) {
  return result.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");
}

async function ok(client, name, args) {
  const r = await client.callTool({ name, arguments: args });
  assert.ok(!r.isError, `${name} failed: ${text(r)}`);
  assert.ok(r.structuredContent, `${name} returned structuredContent`);
  assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent, `${name}: text content is the structured JSON`);
  return r.structuredContent;
}

async function checkCalls(client) {
  const list = await ok(client, "device_list", { page_size: 5 });
  assert.ok(Array.isArray(list.devices) && list.devices.length > 0, "device_list returns devices");
  assert.ok(list.devices.length <= 5, "device_list honours page_size");
  assert.equal(typeof list.total, "number");

  const id = list.devices[0].id;
  const dev = await ok(client, "device_get", { device_id: id });
  assert.equal(dev.id, id, "device_get returns the device asked for");
  assert.ok(!("local_key" in dev), "local_key is hidden by default");

  const missing = await client.callTool({ name: "device_get", arguments: { device_id: "nosuchdevice000" } });
  assert.equal(missing.isError, true, "unknown device is an error result");
  assert.match(text(missing), /Tuya error 2010/, "error names the Tuya code");

  const bad = await client.callTool({ name: "device_list", arguments: { page_size: 500 } });
  assert.equal(bad.isError, true, "out-of-range page_size is an error result");
  assert.match(text(bad), /page_size/);

  // Aliases: the documented action names are accepted on tools/call.
  const users = await ok(client, "deviceUser.list", { device_id: scaleId });
  assert.ok(Array.isArray(users.device_users), "deviceUser.list returns device_users");
  const added = await ok(client, "device_user_add", { device_id: scaleId, nick_name: "e2e", sex: "female" });
  assert.equal(typeof added.user_id, "string");
  const got = await ok(client, "deviceUser.info", { device_id: scaleId, user_id: added.user_id });
  assert.equal(got.nick_name, "e2e");
  await ok(client, "deviceUser.delete", { device_id: scaleId, user_id: added.user_id });
  const after = await ok(client, "device_user_list", { device_id: scaleId });
  assert.equal(after.device_users.length, users.device_users.length, "the added user is gone again");

  // Device control: read what the lamp accepts, send a command within it, read the new status.
  const spec = await ok(client, "device_specification_get", { device_id: lampId });
  const bright = spec.functions.find((f) => f.code === "bright_value_v2");
  assert.equal(bright.type, "Integer", "bright_value_v2 is an Integer");
  const value = bright.min + 2 * bright.step;
  const sent = await ok(client, "device_command_send", {
    device_id: lampId,
    commands: [{ code: "bright_value_v2", value: String(value) }],
  });
  assert.deepEqual(sent.sent, [{ code: "bright_value_v2", value }], "the numeric string is sent as a number");
  const status = await ok(client, "device_status_get", { device_id: lampId });
  // A data point's value comes as the cloud sent it: a number, or (a quirk of the real cloud) a
  // string holding one.
  assert.equal(Number(status.status.find((d) => d.code === "bright_value_v2").value), value, "the status shows the new value");
  const refused = await client.callTool({
    name: "device_command_send",
    arguments: { device_id: lampId, commands: [{ code: "bright_value_v2", value: bright.max + 1 }] },
  });
  assert.equal(refused.isError, true, "a value out of range is refused");
  assert.match(text(refused), new RegExp(`bright_value_v2: ${bright.max + 1} is outside ${bright.min}\\.\\.${bright.max}`));

  // Quirks of clients in the wild: arrays sent as JSON text (Claude Code), keys the client adds
  // (Cline's task_progress), which are ignored with a note in the text only.
  const two = await ok(client, "device_list", { device_ids: JSON.stringify([id]), task_progress: "- [ ] x" });
  assert.deepEqual(two.devices.map((d) => d.id), [id], "device_ids sent as JSON text");
  const noted = await client.callTool({ name: "device_get", arguments: { device_id: id, task_progress: "- [x] y" } });
  assert.equal(noted.content.at(-1).text, 'Ignored "task_progress": not an argument of this tool.');
  assert.ok(!JSON.stringify(noted.structuredContent).includes("task_progress"), "the note stays out of structuredContent");
  const near = await client.callTool({ name: "device_get", arguments: { deviceid: id } });
  assert.equal(near.isError, true, "a near miss of an argument is an error");
  assert.match(text(near), /did you mean device_id\?/);

  await assert.rejects(
    client.callTool({ name: "no_such_tool", arguments: {} }),
    (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams,
    "an unknown tool is a JSON-RPC invalid-params error",
  );
}

async function session(transport) {
  const client = new Client({ name: "tuya-mcp-e2e", version: "1.0.0" });
  // The SDK reports a message it rejects (such as an error with "id": null) here.
  const transportErrors = [];
  client.onerror = (e) => transportErrors.push(e);
  await client.connect(transport);
  try {
    const info = client.getServerVersion();
    assert.ok(info?.name, "server reports its name");
    await checkTools(client);
    await checkCalls(client);
    assert.deepEqual(transportErrors, [], "no transport errors");
  } finally {
    await client.close();
  }
}

async function stdio() {
  const transport = new StdioClientTransport({ command: bin, args: ["--sandbox"], stderr: "pipe" });
  const logs = [];
  transport.stderr.on("data", (d) => logs.push(d));
  try {
    await session(transport);
  } catch (e) {
    process.stderr.write(Buffer.concat(logs));
    throw e;
  }
}

async function http() {
  const token = "e2e-secret-token";
  const child = spawn(bin, ["http", "--sandbox", "--listen", "127.0.0.1:0", "--http-token", token], {
    stdio: ["ignore", "inherit", "pipe"],
  });
  const exited = once(child, "exit");
  const logs = [];
  try {
    const url = await new Promise((resolve, reject) => {
      const rl = createInterface({ input: child.stderr });
      rl.on("line", (line) => {
        logs.push(line);
        const m = /^listening on (http:\/\/\S+)$/.exec(line);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`server exited early with ${code}`)));
    });

    const anonymous = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(anonymous.status, 401, "no token: 401");
    assert.match(anonymous.headers.get("www-authenticate") ?? "", /^Bearer /);
    const foreign = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, origin: "https://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(foreign.status, 403, "foreign origin: 403");
    const health = await fetch(new URL("/healthz", url));
    assert.deepEqual(await health.json(), { status: "ok" });

    await session(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
  } catch (e) {
    console.error(logs.join("\n"));
    throw e;
  } finally {
    child.kill("SIGTERM");
  }
  const [code, signal] = await exited;
  assert.equal(code, 0, `http server exit after SIGTERM (signal ${signal})`);
}

// quirks runs the stdio session against a standalone sandbox that answers with every quirk of
// the real cloud (numbers as strings, 0/1 booleans, nulls, writes without a result, undocumented
// fields): the SDK's outputSchema validation must accept every normalised result.
async function quirks() {
  const child = spawn(bin, ["sandbox", "--listen", "127.0.0.1:0", "--quirks", "all"], {
    stdio: ["ignore", "inherit", "pipe"],
  });
  const exited = once(child, "exit");
  const logs = [];
  try {
    const banner = await new Promise((resolve, reject) => {
      const rl = createInterface({ input: child.stderr });
      const seen = {};
      rl.on("line", (line) => {
        logs.push(line);
        for (const [key, re] of Object.entries({
          url: /^sandbox listening on (http:\/\/\S+)$/,
          id: /^\s+access id:\s+(\S+)$/,
          secret: /^\s+access secret:\s+(\S+)$/,
          schema: /^\s+app schema:\s+(\S+)$/,
        })) {
          const m = re.exec(line);
          if (m) seen[key] = m[1];
        }
        if (seen.url && seen.id && seen.secret && seen.schema) resolve(seen);
      });
      child.on("exit", (code) => reject(new Error(`sandbox exited early with ${code}`)));
    });
    const env = {
      ...process.env,
      TUYA_ENDPOINT: banner.url,
      TUYA_ACCESS_ID: banner.id,
      TUYA_ACCESS_SECRET: banner.secret,
      TUYA_APP_SCHEMA: banner.schema,
    };
    await session(new StdioClientTransport({ command: bin, args: [], env, stderr: "pipe" }));
  } catch (e) {
    console.error(logs.join("\n"));
    throw e;
  } finally {
    child.kill("SIGTERM");
  }
  await exited;
}

const deadline = setTimeout(() => {
  console.error("e2e: timed out");
  process.exit(1);
}, 60_000);

try {
  await stdio();
  console.log("stdio: ok");
  await http();
  console.log("streamable http: ok");
  await quirks();
  console.log("stdio on a sandbox with every quirk: ok");
  clearTimeout(deadline);
} catch (e) {
  console.error("e2e failed:", e);
  process.exit(1);
}
