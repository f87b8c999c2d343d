// The environment, the SSRF guard and the text cleaning: small pieces every delivery relies on.
import { describe, expect, it } from "vitest";

import { guardedLookup, post, TargetRefused } from "../src/channels/post.ts";
import { loadConfig, siweDomains } from "../src/config.ts";
import { messageOf, type NotificationEvent } from "../src/events.ts";
import { cap, escapeDiscord, untrusted, untrustedTitle } from "../src/text.ts";
import { Receiver } from "./helpers.ts";

describe("configuration", () => {
  it("has local defaults and takes the SIWE domains from the web app's origins", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ NOTIFIER_PORT: 8400, INDEXER_URL: "http://127.0.0.1:8000/subgraphs/name/dao", NOTIFIER_ALLOW_PRIVATE_TARGETS: false });
    expect(config.NOTIFIER_SMTP_URL).toBeUndefined();
    expect(siweDomains(config)).toEqual(["localhost:5173", "127.0.0.1:5173"]);
    expect(siweDomains(loadConfig({ CORS_ORIGINS: "https://dao.example", NOTIFIER_SIWE_DOMAINS: "dao.example" }))).toEqual(["dao.example"]);
  });

  it("names every bad variable and never shows the SMTP password", () => {
    let message = "";
    try {
      loadConfig({ NOTIFIER_PORT: "70000", NOTIFIER_SMTP_URL: "https://mailer:hunter2-secret@smtp.example", NOTIFIER_MAX_ATTEMPTS: "0" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("NOTIFIER_PORT");
    expect(message).toContain("NOTIFIER_SMTP_URL: must be an smtp:// or smtps:// URL");
    expect(message).toContain("NOTIFIER_MAX_ATTEMPTS");
    expect(message).not.toContain("hunter2-secret");
  });
});

describe("targets", () => {
  it("refuses loopback, private and link-local endpoints unless allowed, and plain http", async () => {
    const local = new Receiver();
    await local.start();
    try {
      for (const url of [local.url, "https://127.0.0.1:9/x", "https://[::1]:9/x", "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/x", "https://[::ffff:127.0.0.1]/x", "https://localhost/x", "http://example.com/x"]) {
        await expect(post(url, "{}", {}, { timeoutMs: 1_000, allowPrivate: false }), url).rejects.toBeInstanceOf(TargetRefused);
      }
      expect(local.received).toHaveLength(0);
      // A name that resolves to loopback is refused in the lookup the connection itself uses.
      const answer = await new Promise<unknown>((resolve) => guardedLookup("localhost", { all: true }, (error) => resolve(error)));
      expect(answer).toBeInstanceOf(TargetRefused);
      expect((await post(`${local.url}/ok`, "{}", {}, { timeoutMs: 1_000, allowPrivate: true })).status).toBe(200);
    } finally {
      await local.stop();
    }
  });
});

describe("untrusted text", () => {
  it("strips hidden and bidi characters, folds lines and caps length", () => {
    expect(untrusted("a\u200Bb\u202Ec\r\nd\te", 100)).toBe("abc d e");
    expect(untrustedTitle("## Pay\u2066 me")).toBe("Pay me");
    expect(cap("😀".repeat(10), 4)).toBe("😀😀😀…");
    expect(escapeDiscord("@everyone **x** [a](b)")).toBe("\\@everyone \\*\\*x\\*\\* \\[a\\]\\(b\\)");
  });

  it("puts no chain text into the link", () => {
    const event = { id: "x", type: "proposal.executed", proposalId: "1/../../evil", title: "t", risk: null, occurredAt: 0, block: 1, data: { tx: "0x" } } as NotificationEvent;
    expect(messageOf(event, "https://dao.example/").url).toBe("https://dao.example/proposals/1%2F..%2F..%2Fevil");
  });
});
