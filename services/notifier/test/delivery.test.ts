// Delivery on every channel against real endpoints on this machine: a webhook receiver that checks
// the HMAC, a real SMTP server, Discord/Slack/Telegram stand-ins that record the bytes they get.
// Then the failure cases: dead and hanging endpoints, retries, and a restart in the middle.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";

import { devAccount } from "@ai-dao/testkit/accounts";
import { spawn } from "node:child_process";
import path from "node:path";

import { freePort, trackChild, type Child } from "@ai-dao/testkit/process";
import { simpleParser, type ParsedMail } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { Notifier } from "../src/notifier.ts";
import { FakeIndexer } from "./fake-indexer.ts";
import { api, Receiver, signIn, startTestNotifier, subscribe, tempDir, waitFor } from "./helpers.ts";

const SECRET = "test-webhook-secret-0123456789abcdef";
const PID = "4242";

/** What a subscriber's endpoint does with a signed webhook: recompute the HMAC over the exact bytes and compare in constant time. */
function verifySignature(body: string, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(header.slice(7), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("delivery", () => {
  const alice = devAccount("alice");
  let token = "";
  let indexer: FakeIndexer;
  let notifier: Notifier | undefined;
  const receivers: Receiver[] = [];

  async function receiver(): Promise<Receiver> {
    const r = new Receiver();
    await r.start();
    receivers.push(r);
    return r;
  }

  async function begin(o: Parameters<typeof startTestNotifier>[1] = {}): Promise<Notifier> {
    notifier = await startTestNotifier(indexer.url, o);
    await waitFor("the first poll", () => notifier!.store.cursor() !== null);
    token = await signIn(notifier.url, alice);
    return notifier;
  }

  beforeAll(async () => {
    indexer = new FakeIndexer();
    await indexer.start();
  });
  afterEach(async () => {
    await notifier?.stop();
    notifier = undefined;
    for (const r of receivers.splice(0)) await r.stop();
  });
  afterAll(async () => {
    await indexer.stop();
  });

  it("signs each webhook with the subscription's secret over the exact body, with a timestamp against replay", async () => {
    const hook = await receiver();
    const n = await begin();
    await subscribe(n.url, token, { channel: { type: "webhook", url: `${hook.url}/hook`, secret: SECRET }, filter: { kind: "all" } });
    const id = `${PID}1`;
    indexer.propose(id, { title: "# Pay the auditors\u202E evil" });
    indexer.publish(id, "ANALYSIS", { risk: 35, recommendation: "FOR", summary: "Pays 10 ETH to the audit firm." });

    const [got] = await waitFor("the webhook", () => (hook.acknowledged().length > 0 ? hook.acknowledged() : undefined));
    expect(verifySignature(got!.body, got!.headers["x-signature-256"], SECRET)).toBe(true);
    expect(verifySignature(got!.body, got!.headers["x-signature-256"], "another-secret-0123456789")).toBe(false);
    expect(verifySignature(got!.body.replace("Pay", "Pax"), got!.headers["x-signature-256"], SECRET)).toBe(false);
    const body = JSON.parse(got!.body);
    expect(Number(got!.headers["x-notifier-timestamp"])).toBe(body.timestamp);
    expect(Math.abs(body.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(got!.headers["x-notifier-event"]).toBe("proposal.created");
    expect(body.event).toMatchObject({ id: `proposal.created:${id}`, type: "proposal.created", proposalId: id, risk: 35, data: { analysis: { risk: 35, recommendation: "for", summary: "Pays 10 ETH to the audit firm." } } });
    // The bidi override is gone from every copy of the title.
    expect(got!.body).not.toContain("\u202E");
    expect(body.message.subject).toBe("New proposal: Pay the auditors evil");
    expect(body.deliveryId).toBe(`proposal.created:${id}/${JSON.parse(got!.body).subscriptionId}`);
  });

  it("sends email over SMTP with the right subject, a text and an HTML part, chain text escaped", async () => {
    const mails: { from: string | undefined; to: string[]; parsed: ParsedMail }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const n = await begin({ mailTransport: nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true }) });
      await subscribe(n.url, token, { channel: { type: "email", to: "alice@dao.test" }, filter: { kind: "risk", min: 60 } });
      const low = `${PID}2`;
      const high = `${PID}3`;
      indexer.propose(low, { title: "Routine grant" });
      indexer.publish(low, "ANALYSIS", { risk: 20 });
      indexer.propose(high, { title: "Routine <b>maintenance</b>\r\nBcc: victim@example.com" });
      indexer.publish(high, "ANALYSIS", { risk: 90, recommendation: "AGAINST", summary: "Sends 60% of the treasury to <script>alert(1)</script> an outsider." });

      const [mail] = await waitFor("the email", () => (mails.length > 0 ? mails : undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(mails).toHaveLength(1); // the low-risk proposal is below the subscription's threshold
      expect(mail!.to).toEqual(["alice@dao.test"]);
      expect(mail!.from).toBe("notifier@dao.test");
      expect(mail!.parsed.subject).toBe("New proposal: Routine <b>maintenance</b> Bcc: victim@example.com");
      expect(mail!.parsed.bcc).toBeUndefined();
      expect(mail!.parsed.text).toContain("Analysis: risk 90/100, recommendation against");
      expect(mail!.parsed.text).toContain("Summary: Sends 60% of the treasury to <script>alert(1)</script> an outsider.");
      expect(mail!.parsed.text).toContain(`http://127.0.0.1:5173/proposals/${high}`);
      const html = String(mail!.parsed.html);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toContain("<script>");
      expect(html).toContain("Routine &lt;b&gt;maintenance&lt;/b&gt;");
      await waitFor("the email marked delivered", () => n.store.deliveries({ status: "delivered" }).length === 1);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it("formats Discord, Slack and Telegram as their APIs document, with mentions and markup neutralised", async () => {
    const chat = await receiver();
    chat.answer = JSON.stringify({ ok: true, result: { message_id: 1 } });
    const n = await begin({ telegramApiUrl: `${chat.url}/tg` });
    await subscribe(n.url, token, { channel: { type: "discord", url: `${chat.url}/discord/123/abc` }, filter: { kind: "all" } });
    await subscribe(n.url, token, { channel: { type: "slack", url: `${chat.url}/slack/T0/B0/xyz` }, filter: { kind: "all" } });
    await subscribe(n.url, token, { channel: { type: "telegram", botToken: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc", chatId: "-100123" }, filter: { kind: "all" } });
    const id = `${PID}4`;
    indexer.propose(id, { title: "@everyone <!channel> **free** [money](https://evil.example) <b>x</b>" });

    await waitFor("three chat messages", () => chat.acknowledged().length === 3);
    const discord = JSON.parse(chat.received.find((r) => r.path.startsWith("/discord/"))!.body);
    expect(chat.received.find((r) => r.path.startsWith("/discord/"))!.path).toBe("/discord/123/abc?wait=true");
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.content).toContain("\\@everyone");
    expect(discord.content).toContain("\\*\\*free\\*\\* \\[money\\]\\(https\\:");
    expect(discord.content.length).toBeLessThanOrEqual(2000);

    const slack = JSON.parse(chat.received.find((r) => r.path.startsWith("/slack/"))!.body);
    expect(slack.text).toContain("&lt;!channel&gt;");
    expect(slack.text).not.toContain("<!channel>");
    expect(slack.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: expect.stringContaining("<!channel>"), emoji: false } });
    expect(slack.blocks[1].text.type).toBe("plain_text");
    expect(slack.blocks[2].text).toEqual({ type: "mrkdwn", text: `<http://127.0.0.1:5173/proposals/${id}|Open the proposal>` });

    const tg = chat.received.find((r) => r.path.startsWith("/tg/"))!;
    expect(tg.path).toBe("/tg/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc/sendMessage");
    const telegram = JSON.parse(tg.body);
    expect(telegram).toMatchObject({ chat_id: -100123, parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    expect(telegram.text).toMatch(/^<b>New proposal: @everyone &lt;!channel&gt; \*\*free\*\* \[money\]\(https:\/\/evil.example\) &lt;b&gt;x&lt;\/b&gt;<\/b>\n/);
    expect(telegram.text).toContain(`<a href="http://127.0.0.1:5173/proposals/${id}">Open the proposal</a>`);
  });

  it("does not let a dead or hanging Discord endpoint delay Slack and the webhook", async () => {
    const hanging = await receiver();
    hanging.respond = () => "hang";
    const fast = await receiver();
    const refusedPort = await freePort(); // nothing listens there: connection refused
    const n = await begin({ deliveryTimeoutMs: 10_000 });
    await subscribe(n.url, token, { channel: { type: "discord", url: `http://127.0.0.1:${refusedPort}/api/webhooks/1/dead` }, filter: { kind: "all" } });
    await subscribe(n.url, token, { channel: { type: "discord", url: `${hanging.url}/api/webhooks/2/slow` }, filter: { kind: "all" } });
    await subscribe(n.url, token, { channel: { type: "slack", url: `${fast.url}/slack` }, filter: { kind: "all" } });
    await subscribe(n.url, token, { channel: { type: "webhook", url: `${fast.url}/hook`, secret: SECRET }, filter: { kind: "all" } });

    const id = `${PID}5`;
    const started = Date.now();
    indexer.propose(id);
    await waitFor("slack and the webhook", () => fast.acknowledged("/slack").length === 1 && fast.acknowledged("/hook").length === 1);
    const both = Math.max(...fast.acknowledged().map((r) => r.at)) - started;
    // Polling every 50 ms, the two arrive well before the 10 s deadline the hanging endpoint holds its slot for.
    expect(both).toBeLessThan(4_000);
    expect(hanging.received).toHaveLength(1);
    expect(hanging.received[0]!.status).toBeNull();
    await waitFor("both marked delivered", () => n.store.deliveries({ status: "delivered" }).length === 2);
    const pending = n.store.deliveries({ status: "pending" });
    expect(pending).toHaveLength(2); // both Discord deliveries: the refused one waits for its retry, the hanging one is in flight
    await waitFor("the refused endpoint retried", () => n.store.deliveries().some((d) => d.lastError !== null && /ECONNREFUSED/.test(d.lastError) && d.attempts >= 2));
    expect(n.store.deliveries({ status: "delivered" })).toHaveLength(2);
  });

  it("retries a failing endpoint with backoff, gives up on a gone one, and delivers once", async () => {
    const flaky = await receiver();
    flaky.respond = ({ path, count }) => (path === "/gone" ? 410 : count < 2 ? 503 : 200);
    const n = await begin({ retryFirstMs: 200 });
    await subscribe(n.url, token, { channel: { type: "webhook", url: `${flaky.url}/flaky`, secret: SECRET }, filter: { kind: "all" } });
    await subscribe(n.url, token, { channel: { type: "slack", url: `${flaky.url}/gone` }, filter: { kind: "all" } });
    indexer.propose(`${PID}6`);
    await waitFor("the flaky endpoint's success", () => flaky.acknowledged("/flaky").length === 1);
    await waitFor("the gone endpoint given up", () => n.store.deliveries({ status: "failed" }).length === 1);
    const statuses = flaky.received.filter((r) => r.path === "/flaky").map((r) => r.status);
    expect(statuses).toEqual([503, 503, 200]);
    const gaps = flaky.received.filter((r) => r.path === "/flaky").map((r, i, all) => (i === 0 ? 0 : r.at - all[i - 1]!.at));
    // 200 ms after the first failure, 400 ms after the second: it backs off (never sooner; a loaded machine may be later).
    expect(gaps[1]!).toBeGreaterThanOrEqual(190);
    expect(gaps[2]!).toBeGreaterThanOrEqual(390);
    expect(flaky.received.filter((r) => r.path === "/gone")).toHaveLength(1);
    expect(n.store.deliveries({ status: "failed" })[0]!.lastError).toBe("endpoint answered 410");
    await new Promise((r) => setTimeout(r, 300));
    expect(flaky.acknowledged("/flaky")).toHaveLength(1);
  });

  it("sends nothing twice across a restart in the middle of deliveries", async () => {
    const dataDir = tempDir();
    const steady = await receiver();
    const stuck = await receiver();
    let stuckUp = false;
    stuck.respond = () => (stuckUp ? 200 : "hang");
    let n = await begin({ dataDir, deliveryTimeoutMs: 60_000 });
    await subscribe(n.url, token, { channel: { type: "webhook", url: `${steady.url}/a`, secret: SECRET }, filter: { kind: "all" } });
    await subscribe(n.url, token, { channel: { type: "webhook", url: `${stuck.url}/b`, secret: SECRET }, filter: { kind: "all" } });
    indexer.propose(`${PID}7`);
    indexer.propose(`${PID}8`);
    await waitFor("the steady endpoint's two deliveries", () => steady.acknowledged().length === 2);
    await waitFor("the stuck endpoint holding both", () => stuck.received.length === 2);
    await waitFor("the steady deliveries recorded", () => n.store.deliveries({ status: "delivered" }).length === 2);
    const eventsBefore = Number((n.store.db.prepare("SELECT COUNT(*) AS c FROM events").get() as { c: number }).c);

    // Stop in the middle: two deliveries in flight, never acknowledged.
    await n.stop();
    notifier = undefined;
    stuckUp = true;
    indexer.setStatus(`${PID}7`, "CANCELED");

    n = notifier = await startTestNotifier(indexer.url, { dataDir });
    await waitFor("the stuck endpoint's deliveries after the restart", () => stuck.acknowledged().length === 3);
    await waitFor("the steady endpoint's third", () => steady.acknowledged().length === 3);
    await new Promise((r) => setTimeout(r, 500)); // a few more polls and dispatcher rounds: nothing more may come

    for (const r of [steady, stuck]) {
      const ids = r.acknowledged().map((x) => JSON.parse(x.body).deliveryId as string);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.map((d) => d.split("/")[0])).toEqual(expect.arrayContaining([`proposal.created:${PID}7`, `proposal.created:${PID}8`, `guardian.alert:${PID}7`]));
      expect(ids).toHaveLength(3);
    }
    expect(steady.received).toHaveLength(3); // never re-sent what it had acknowledged
    const eventsAfter = Number((n.store.db.prepare("SELECT COUNT(*) AS c FROM events").get() as { c: number }).c);
    expect(eventsAfter).toBe(eventsBefore + 1);
  });

  it("sends nothing twice after kill -9 of the service with deliveries in flight", async () => {
    const dataDir = tempDir();
    const steady = await receiver();
    const stuck = await receiver();
    let stuckUp = false;
    stuck.respond = () => (stuckUp ? 200 : "hang");
    const startMain = async (): Promise<{ child: Child; url: string }> => {
      const port = await freePort();
      const child = trackChild(
        spawn(process.execPath, ["--disable-warning=ExperimentalWarning", path.resolve(import.meta.dirname, "../src/main.ts")], {
          env: {
            PATH: process.env.PATH ?? "",
            INDEXER_URL: indexer.url,
            NOTIFIER_PORT: String(port),
            NOTIFIER_DATA_DIR: dataDir,
            NOTIFIER_POLL_INTERVAL_MS: "50",
            NOTIFIER_ANALYSIS_WAIT_MS: "0",
            NOTIFIER_DELIVERY_TIMEOUT_MS: "60000",
            NOTIFIER_RETRY_FIRST_MS: "50",
            NOTIFIER_ALLOW_PRIVATE_TARGETS: "true",
            CORS_ORIGINS: "http://localhost:5173",
            LOG_LEVEL: "warn",
          },
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
      const url = `http://127.0.0.1:${port}`;
      await waitFor("the notifier's main", async () => (await fetch(`${url}/health`).catch(() => null))?.ok, 30_000);
      return { child, url };
    };

    let main = await startMain();
    try {
      const token = await signIn(main.url, alice);
      const a = await subscribe(main.url, token, { channel: { type: "webhook", url: `${steady.url}/a`, secret: SECRET }, filter: { kind: "all" } });
      await subscribe(main.url, token, { channel: { type: "webhook", url: `${stuck.url}/b`, secret: SECRET }, filter: { kind: "all" } });
      indexer.propose(`${PID}9`);
      indexer.propose(`${PID}10`);
      await waitFor("the stuck endpoint holding both", () => stuck.received.length === 2);
      await waitFor("the steady deliveries recorded", async () => (await api(main.url, token, "GET", `/subscriptions/${a}/deliveries`)).body.deliveries.filter((d: { status: string }) => d.status === "delivered").length === 2);

      main.child.process.kill("SIGKILL");
      expect(await main.child.exited).toBeNull(); // killed, no shutdown code ran
      stuckUp = true;
      indexer.setStatus(`${PID}9`, "CANCELED");

      main = await startMain();
      await waitFor("the stuck endpoint's deliveries after the restart", () => stuck.acknowledged().length === 3);
      await waitFor("the steady endpoint's third", () => steady.acknowledged().length === 3);
      await new Promise((r) => setTimeout(r, 500));
      for (const r of [steady, stuck]) {
        const ids = r.acknowledged().map((x) => JSON.parse(x.body).deliveryId as string);
        expect(new Set(ids).size).toBe(3);
        expect(ids.map((d) => d.split("/")[0]).sort()).toEqual([`guardian.alert:${PID}9`, `proposal.created:${PID}10`, `proposal.created:${PID}9`].sort());
      }
      expect(steady.received).toHaveLength(3);
    } finally {
      main.child.process.kill("SIGKILL");
      await main.child.exited;
    }
  });
});
