// npm start and CORS_ORIGINS: the services allow the web app's own origins wherever WEB_PORT puts
// it; a CORS_ORIGINS the user set wins, and npm start warns when it leaves the web app out. (That
// the moved web app really reads every service is proven in Chromium by apps/web/e2e/ports.e2e.ts.)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { describe, it } from "node:test";

import { serviceCorsOrigins } from "../../scripts/platform/config.ts";

const root = path.resolve(import.meta.dirname, "../..");

describe("the origins npm start lets read the services", () => {
  it("are the web app's, by name and by address, at whatever WEB_PORT is", () => {
    assert.deepEqual(serviceCorsOrigins({ WEB_PORT: 15173, CORS_ORIGINS: undefined }), { origins: ["http://localhost:15173", "http://127.0.0.1:15173"] });
    assert.deepEqual(serviceCorsOrigins({ WEB_PORT: 5173, CORS_ORIGINS: undefined }).origins, ["http://localhost:5173", "http://127.0.0.1:5173"]);
  });

  it("are the user's CORS_ORIGINS when set, silently when they include the web app", () => {
    const mine = ["https://dao.example", "http://localhost:15173", "http://127.0.0.1:15173"];
    assert.deepEqual(serviceCorsOrigins({ WEB_PORT: 15173, CORS_ORIGINS: mine }), { origins: mine });
  });

  it("are still the user's when they leave the web app out, with a warning saying what to set", () => {
    const { origins, warning } = serviceCorsOrigins({ WEB_PORT: 15173, CORS_ORIGINS: ["https://dao.example", "http://localhost:15173"] });
    assert.deepEqual(origins, ["https://dao.example", "http://localhost:15173"]);
    assert.match(warning ?? "", /^CORS_ORIGINS does not include the web app's origin http:\/\/127\.0\.0\.1:15173: /);
    assert.match(warning ?? "", /Set CORS_ORIGINS=https:\/\/dao\.example,http:\/\/localhost:15173,http:\/\/127\.0\.0\.1:15173 /);
  });

  it("npm start prints that warning before anything starts", { timeout: 60_000 }, async () => {
    // A port in use stops the start right after the settings are read, so nothing else runs.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const chainPort = (blocker.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [path.join(root, "scripts/start.ts")], {
        cwd: root,
        env: { ...process.env, CHAIN_PORT: String(chainPort), WEB_PORT: "28673", CORS_ORIGINS: "https://dao.example" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      assert.equal(code, 1);
      assert.match(output, /CORS_ORIGINS does not include the web app's origins http:\/\/localhost:28673 and http:\/\/127\.0\.0\.1:28673/);
      assert.match(output, /Set CORS_ORIGINS=https:\/\/dao\.example,http:\/\/localhost:28673,http:\/\/127\.0\.0\.1:28673/);
      assert.match(output, new RegExp(`port ${chainPort} \\(chain JSON-RPC\\) is already in use`));
    } finally {
      blocker.close();
    }
  });
});
