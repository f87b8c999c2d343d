// The channels: one function per format that turns an event into that service's documented
// payload and sends it. Untrusted text is cleaned (./text.ts) and escaped for the format here.
import { createHmac } from "node:crypto";

import { stripHidden } from "@ai-dao/description";
import type { Transporter } from "nodemailer";

import { type Message, messageOf, type NotificationEvent, plainText } from "../events.ts";
import type { Channel } from "../subscriptions.ts";
import { cap, escapeDiscord, escapeHtml, escapeSlack, escapeTelegramHtml, headerText } from "../text.ts";
import { post, type PostResult, TargetRefused } from "./post.ts";

/** A failed attempt. `permanent`: trying again cannot help (a 4xx, a refused target, a rejected address). */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.permanent = permanent;
  }
}

export interface SendContext {
  /** The web app's origin, for links. */
  appUrl: string;
  timeoutMs: number;
  allowPrivateTargets: boolean;
  /** Bot API origin (`https://api.telegram.org`; a local stand-in in tests). */
  telegramApiUrl: string;
  mail: { transport: Transporter; from: string };
  signal?: AbortSignal;
  now?: () => number;
}

export interface Delivery {
  /** `<event id>/<subscription id>`: the same on every retry, so receivers can drop duplicates. */
  id: string;
  event: NotificationEvent;
  subscriptionId: string;
  channel: Channel;
}

const COLORS: Partial<Record<NotificationEvent["type"], number>> = { "guard.refusal": 0xd32f2f, "guard.hold": 0xf57c00, "guardian.alert": 0xd32f2f, "proposal.defeated": 0x757575, "proposal.succeeded": 0x2e7d32 };

/** Sends one delivery on its channel; resolves once the endpoint acknowledged it, else throws a {@link DeliveryError}. */
export async function send(delivery: Delivery, ctx: SendContext): Promise<void> {
  const message = messageOf(delivery.event, ctx.appUrl);
  const { channel } = delivery;
  switch (channel.type) {
    case "webhook": {
      const timestamp = Math.floor((ctx.now?.() ?? Date.now()) / 1000);
      const body = JSON.stringify({
        deliveryId: delivery.id,
        timestamp,
        subscriptionId: delivery.subscriptionId,
        event: cleanDeep(delivery.event),
        message,
      });
      const signature = createHmac("sha256", channel.secret).update(body).digest("hex");
      await httpSend(channel.url, body, {
        "content-type": "application/json",
        "x-signature-256": `sha256=${signature}`,
        "x-notifier-timestamp": String(timestamp),
        "x-notifier-delivery": delivery.id,
        "x-notifier-event": delivery.event.type,
      }, ctx);
      return;
    }
    case "discord":
      await httpSend(withQuery(channel.url, "wait", "true"), JSON.stringify(discordPayload(message, delivery.event)), { "content-type": "application/json" }, ctx);
      return;
    case "slack":
      await httpSend(channel.url, JSON.stringify(slackPayload(message)), { "content-type": "application/json" }, ctx);
      return;
    case "telegram": {
      const url = `${ctx.telegramApiUrl.replace(/\/+$/, "")}/bot${channel.botToken}/sendMessage`;
      const result = await httpSend(url, JSON.stringify(telegramPayload(message, channel.chatId)), { "content-type": "application/json" }, ctx, channel.botToken);
      // The Bot API answers {"ok": true, "result": …}; anything else is a failure even with a 2xx.
      if (!/"ok"\s*:\s*true/.test(result.body)) throw new DeliveryError("Telegram did not confirm the message", false);
      return;
    }
    case "email":
      await sendEmail(channel.to, message, ctx);
      return;
  }
}

async function httpSend(url: string, body: string, headers: Record<string, string>, ctx: SendContext, secret?: string): Promise<PostResult> {
  let result: PostResult;
  try {
    result = await post(url, body, headers, { timeoutMs: ctx.timeoutMs, allowPrivate: ctx.allowPrivateTargets, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (error) {
    const text = (error as Error).message ?? String(error);
    throw new DeliveryError(secret ? text.split(secret).join("[redacted]") : text, error instanceof TargetRefused);
  }
  if (result.status >= 200 && result.status < 300) return result;
  const permanent = result.status >= 400 && result.status < 500 && ![408, 425, 429].includes(result.status);
  throw new DeliveryError(`endpoint answered ${result.status}`, permanent);
}

function withQuery(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.href;
}

/** Every string of a value without hidden characters and at most 2,000 characters long (the webhook's JSON copy of the event). */
function cleanDeep(value: unknown): unknown {
  if (typeof value === "string") return cap(stripHidden(value), 2_000);
  if (Array.isArray(value)) return value.map(cleanDeep);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanDeep(v)]));
  return value;
}

/**
 * Discord's execute-webhook body: the message as escaped Markdown in `content` (at most 2,000
 * characters) and `allowed_mentions: { parse: [] }`, so no text can ping anyone.
 */
export function discordPayload(message: Message, event: NotificationEvent) {
  const lines = message.lines.map(escapeDiscord);
  const content = cap(`**${escapeDiscord(message.subject)}**\n${lines.join("\n")}\n<${message.url}>`, 2_000);
  return {
    content,
    allowed_mentions: { parse: [] as string[] },
    ...(COLORS[event.type] !== undefined ? { embeds: [{ title: cap(event.type, 256), color: COLORS[event.type], url: message.url }] } : {}),
  };
}

/**
 * Slack's incoming-webhook body: untrusted text only in `plain_text` blocks (never parsed as
 * mrkdwn), a link block built from the app's own URL, and `text` (the notification fallback) with
 * `&`, `<`, `>` escaped so no mention or link can be formed.
 */
export function slackPayload(message: Message) {
  return {
    text: cap(escapeSlack(`${message.subject}: ${message.lines.join(" ")}`), 3_000),
    blocks: [
      { type: "header", text: { type: "plain_text", text: cap(message.subject, 150), emoji: false } },
      { type: "section", text: { type: "plain_text", text: cap(message.lines.join("\n"), 3_000), emoji: false } },
      { type: "section", text: { type: "mrkdwn", text: `<${escapeSlack(message.url)}|Open the proposal>` } },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** Telegram Bot API `sendMessage` with `parse_mode: "HTML"`: every text part escaped, at most 4,096 characters. */
export function telegramPayload(message: Message, chatId: string) {
  const body = message.lines.map((l) => escapeTelegramHtml(cap(l, 900))).join("\n");
  const text = `<b>${escapeTelegramHtml(cap(message.subject, 250))}</b>\n${body}\n<a href="${escapeTelegramHtml(message.url)}">Open the proposal</a>`;
  return { chat_id: /^-?\d+$/.test(chatId) ? Number(chatId) : chatId, text: cap(text, 4_096), parse_mode: "HTML", link_preview_options: { is_disabled: true } };
}

/** The email: a plain-text part and a simple HTML part, every text escaped; the subject without line breaks. */
export function emailContent(message: Message): { subject: string; text: string; html: string } {
  const html = `<!doctype html><html><body style="font-family: sans-serif">
<h2>${escapeHtml(message.subject)}</h2>
${message.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("\n")}
<p><a href="${escapeHtml(message.url)}">Open the proposal</a></p>
<p style="color:#777;font-size:small">You receive this because you subscribed with your Ethereum address. Delete the subscription in the web app's settings.</p>
</body></html>`;
  return { subject: headerText(message.subject), text: plainText(message), html };
}

async function sendEmail(to: string, message: Message, ctx: SendContext): Promise<void> {
  const content = emailContent(message);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ctx.mail.transport.sendMail({ from: ctx.mail.from, to, ...content }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new DeliveryError(`no answer from the SMTP server within ${ctx.timeoutMs} ms`, false)), ctx.timeoutMs);
      }),
    ]);
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    const e = error as { responseCode?: number; message?: string };
    throw new DeliveryError(`SMTP: ${String(e.message ?? error).split("\n")[0]}`, typeof e.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600);
  } finally {
    clearTimeout(timer);
  }
}
