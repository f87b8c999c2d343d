// The page's Content-Security-Policy: nothing in a description may load from elsewhere, and the one
// frame WalletConnect needs is the only one allowed (e2e/routes.e2e.ts checks the built page in Chromium).
import { readFileSync } from "node:fs";
import path from "node:path";

import { VERIFY_SERVER_V3 } from "@walletconnect/core";
import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, EXPECTED_POLICY } from "./csp.ts";

const policy = contentSecurityPolicy(readFileSync(path.resolve(import.meta.dirname, "../index.html"), "utf8"));

describe("Content-Security-Policy of index.html", () => {
  it("allows images only from the app (and the blob: URLs WalletConnect's dialog makes), no media, plugins, and one frame origin", () => {
    expect(Object.fromEntries(policy)).toEqual(EXPECTED_POLICY);
  });

  it("allows the origin WalletConnect's installed connector frames for its Verify API", () => {
    expect(policy.get("frame-src")).toEqual([new URL(VERIFY_SERVER_V3).origin]);
  });
});
