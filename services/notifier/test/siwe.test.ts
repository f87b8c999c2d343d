// Sign-In with Ethereum and the subscription API: only a member who proves their address gets a
// session, and only their own subscriptions, with secrets never shown in full.
import { devAccount } from "@ai-dao/testkit/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Notifier } from "../src/notifier.ts";
import { FakeIndexer } from "./fake-indexer.ts";
import { api, Receiver, signIn, siweMessage, startTestNotifier, subscribe, verify, waitFor, WEB_ORIGIN } from "./helpers.ts";

describe("sign-in with Ethereum", () => {
  const indexer = new FakeIndexer();
  let notifier: Notifier;
  const alice = devAccount("alice");
  const bob = devAccount("bob");

  beforeAll(async () => {
    notifier = await startTestNotifier(await indexer.start());
  });
  afterAll(async () => {
    await notifier?.stop();
    await indexer.stop();
  });

  it("gives a session for a valid message, once per nonce", async () => {
    const message = await siweMessage(notifier.url, alice.address);
    const signature = await alice.signMessage({ message });
    const first = await verify(notifier.url, message, signature);
    expect(first.status).toBe(200);
    expect(first.body.address).toBe(alice.address);
    expect(first.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const me = await api(notifier.url, first.body.token, "GET", "/subscriptions");
    expect(me).toMatchObject({ status: 200, body: { address: alice.address, subscriptions: [] } });

    const replay = await verify(notifier.url, message, signature);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatch(/nonce is unknown, already used or expired/);
  });

  it("refuses a message for another domain", async () => {
    const message = await siweMessage(notifier.url, alice.address, { domain: "evil.example" });
    const { status, body } = await verify(notifier.url, message, await alice.signMessage({ message }));
    expect(status).toBe(401);
    expect(body.error).toMatch(/evil\.example, not for this service/);
  });

  it("refuses a message for another chain", async () => {
    const message = await siweMessage(notifier.url, alice.address, { chainId: 1 });
    const { status, body } = await verify(notifier.url, message, await alice.signMessage({ message }));
    expect(status).toBe(401);
    expect(body.error).toMatch(/chain 1/);
  });

  it("refuses an expired message", async () => {
    const message = await siweMessage(notifier.url, alice.address, { issuedAt: new Date(Date.now() - 120_000), expirationTime: new Date(Date.now() - 60_000) });
    const { status, body } = await verify(notifier.url, message, await alice.signMessage({ message }));
    expect(status).toBe(401);
    expect(body.error).toMatch(/expired/);
  });

  it("refuses a nonce the server never issued", async () => {
    const message = await siweMessage(notifier.url, alice.address, { nonce: "abcdefgh12345678" });
    const { status, body } = await verify(notifier.url, message, await alice.signMessage({ message }));
    expect(status).toBe(401);
    expect(body.error).toMatch(/nonce/);
  });

  it("refuses a message naming one address signed by another", async () => {
    const message = await siweMessage(notifier.url, alice.address);
    const { status, body } = await verify(notifier.url, message, await bob.signMessage({ message }));
    expect(status).toBe(401);
    expect(body.error).toContain(`not ${alice.address}'s`);
    // The refused attempt did not use the nonce up: alice's own signature still works.
    expect((await verify(notifier.url, message, await alice.signMessage({ message }))).status).toBe(200);
  });

  it("refuses garbage and oversized bodies", async () => {
    expect((await api(notifier.url, null, "POST", "/auth/verify", { message: "hello", signature: "0x00" })).status).toBe(400);
    expect((await api(notifier.url, null, "POST", "/auth/verify", { message: "x".repeat(20_000), signature: "0x" })).status).toBe(413);
    expect((await api(notifier.url, null, "POST", "/auth/verify", "{not json")).status).toBe(400);
  });

  it("lets a member create, list and delete only their own subscriptions, secrets masked", async () => {
    const aliceToken = await signIn(notifier.url, alice);
    const bobToken = await signIn(notifier.url, bob);
    expect((await api(notifier.url, null, "GET", "/subscriptions")).status).toBe(401);
    expect((await api(notifier.url, "not-a-real-session-token-at-all", "GET", "/subscriptions")).status).toBe(401);

    const secret = "a-very-secret-hmac-key-0123456789";
    const id = await subscribe(notifier.url, aliceToken, { channel: { type: "webhook", url: "https://hooks.example/abc/def-TOKEN", secret }, filter: { kind: "risk", min: 50 }, label: "ops" });
    const telegram = await subscribe(notifier.url, aliceToken, { channel: { type: "telegram", botToken: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc", chatId: "-100123" }, filter: { kind: "all" } });
    const listed = await api(notifier.url, aliceToken, "GET", "/subscriptions");
    const text = JSON.stringify(listed.body);
    expect(listed.body.subscriptions.map((s: { id: string }) => s.id)).toEqual([id, telegram]);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc");
    expect(text).not.toContain("def-TOKEN");
    expect(listed.body.subscriptions[0].channel).toEqual({ type: "webhook", url: "https://hooks.example/…OKEN", secret: "…6789" });

    expect((await api(notifier.url, bobToken, "GET", "/subscriptions")).body.subscriptions).toEqual([]);
    expect((await api(notifier.url, bobToken, "DELETE", `/subscriptions/${id}`)).status).toBe(404);
    expect((await api(notifier.url, aliceToken, "DELETE", `/subscriptions/${id}`)).status).toBe(200);
    expect((await api(notifier.url, aliceToken, "GET", "/subscriptions")).body.subscriptions.map((s: { id: string }) => s.id)).toEqual([telegram]);
  });

  it("sends a test message to one subscription on request, at most every ten seconds", async () => {
    const hook = new Receiver();
    await hook.start();
    try {
      const token = await signIn(notifier.url, bob);
      const id = await subscribe(notifier.url, token, { channel: { type: "webhook", url: `${hook.url}/test`, secret: "0123456789abcdef-test" }, filter: { kind: "all" } });
      const asked = await api(notifier.url, token, "POST", `/subscriptions/${id}/test`);
      expect(asked.status).toBe(202);
      await waitFor("the test message", () => hook.acknowledged().length === 1);
      const body = JSON.parse(hook.acknowledged()[0]!.body);
      expect(body.event).toMatchObject({ id: asked.body.event, type: "test", data: { requestedBy: bob.address } });
      expect((await api(notifier.url, token, "POST", `/subscriptions/${id}/test`)).status).toBe(429);
      const deliveries = await api(notifier.url, token, "GET", `/subscriptions/${id}/deliveries`);
      expect(deliveries.body.deliveries).toEqual([{ event: asked.body.event, status: "delivered", attempts: 1, lastError: null, nextAttemptAt: null }]);
      expect((await api(notifier.url, await signIn(notifier.url, alice), "POST", `/subscriptions/${id}/test`)).status).toBe(404);
    } finally {
      await hook.stop();
    }
  });

  it("validates subscription bodies field by field", async () => {
    const token = await signIn(notifier.url, alice);
    const bad = [
      { channel: { type: "webhook", url: "https://hooks.example/x", secret: "short" }, filter: { kind: "all" } },
      { channel: { type: "webhook", url: "ftp://hooks.example/x", secret: "0123456789abcdef0" }, filter: { kind: "all" } },
      { channel: { type: "email", to: "not-an-address" }, filter: { kind: "all" } },
      { channel: { type: "slack", url: "https://hooks.slack.com/x" }, filter: { kind: "risk", min: 101 } },
      { channel: { type: "slack", url: "https://hooks.slack.com/x" }, filter: { kind: "delegate", address: "0x1234" } },
      { channel: { type: "slack", url: "https://hooks.slack.com/x", extra: 1 }, filter: { kind: "all" } },
      { channel: { type: "pager", url: "https://x" }, filter: { kind: "all" } },
    ];
    for (const body of bad) {
      const { status, body: answer } = await api(notifier.url, token, "POST", "/subscriptions", body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(answer.details.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer)).not.toContain("0123456789abcdef0");
    }
  });

  it("refuses webhook targets on this machine or a private network unless allowed", async () => {
    const strict = await startTestNotifier(indexer.url, { allowPrivateTargets: false });
    try {
      const token = await signIn(strict.url, alice);
      for (const url of ["https://127.0.0.1/hook", "https://169.254.169.254/x", "http://hooks.example/x", "https://localhost:8200/metrics"]) {
        const { status, body } = await api(strict.url, token, "POST", "/subscriptions", { channel: { type: "discord", url }, filter: { kind: "all" } });
        expect(status, url).toBe(400);
        expect(body.details[0].path).toBe("channel.url");
      }
      expect((await api(strict.url, token, "POST", "/subscriptions", { channel: { type: "discord", url: "https://discord.com/api/webhooks/1/x" }, filter: { kind: "all" } })).status).toBe(201);
    } finally {
      await strict.stop();
    }
  });

  it("answers CORS only for the web app's origin", async () => {
    const ok = await fetch(`${notifier.url}/auth/nonce`, { method: "POST", headers: { origin: WEB_ORIGIN } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    const other = await fetch(`${notifier.url}/auth/nonce`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${notifier.url}/subscriptions`, { method: "OPTIONS", headers: { origin: WEB_ORIGIN, "access-control-request-method": "DELETE", "access-control-request-headers": "authorization, content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("DELETE");
  });

  it("serves /health and /metrics", async () => {
    const health = await fetch(`${notifier.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", chainId: 31337 });
    const metrics = await (await fetch(`${notifier.url}/metrics`)).text();
    expect(metrics).toContain("notifier_sign_ins_total");
  });
});
