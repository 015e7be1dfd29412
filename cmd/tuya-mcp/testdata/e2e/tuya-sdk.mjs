// The official Tuya Node SDK (@tuya/tuya-connector-nodejs), unmodified, against the standalone
// sandbox: it gets a token, reads a device's specification, sends a command and reads the new
// status, signing every request its own way.
//
//   TUYA_ENDPOINT=http://127.0.0.1:PORT TUYA_ACCESS_ID=... TUYA_ACCESS_SECRET=... E2E_LAMP_ID=... node tuya-sdk.mjs
import assert from "node:assert/strict";
import { TuyaContext } from "@tuya/tuya-connector-nodejs";

const { TUYA_ENDPOINT: baseUrl, TUYA_ACCESS_ID: accessKey, TUYA_ACCESS_SECRET: secretKey, E2E_LAMP_ID: lampId } = process.env;
if (!baseUrl || !accessKey || !secretKey || !lampId) {
  console.error("usage: TUYA_ENDPOINT=... TUYA_ACCESS_ID=... TUYA_ACCESS_SECRET=... E2E_LAMP_ID=... node tuya-sdk.mjs");
  process.exit(2);
}
const tuya = new TuyaContext({ baseUrl, accessKey, secretKey });

async function call(method, path, body) {
  const res = await tuya.request({ method, path, body });
  assert.equal(res.success, true, `${method} ${path}: ${JSON.stringify(res)}`);
  return res.result;
}

const spec = await call("GET", `/v1.0/devices/${lampId}/specifications`);
assert.equal(spec.category, "dj", "the lamp is a light");
const bright = spec.functions.find((f) => f.code === "bright_value_v2");
assert.equal(bright.type, "Integer");
const values = JSON.parse(bright.values); // values is JSON text inside the JSON answer
const value = values.min + 3 * values.step;

const sent = await call("POST", `/v1.0/devices/${lampId}/commands`, { commands: [{ code: "bright_value_v2", value }] });
assert.equal(sent, true, "a command's result is true");

const status = await call("GET", `/v1.0/devices/${lampId}/status`);
assert.equal(status.find((d) => d.code === "bright_value_v2").value, value, "the status shows the new value");

const refused = await tuya.request({
  method: "POST",
  path: `/v1.0/devices/${lampId}/commands`,
  body: { commands: [{ code: "bright_value_v2", value: values.max + 1 }] },
});
assert.equal(refused.success, false);
assert.equal(refused.code, 2008, "an out-of-range value is refused with 2008");
console.log(`tuya sdk: ok (bright_value_v2 set to ${value})`);
