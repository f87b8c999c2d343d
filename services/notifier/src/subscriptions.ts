// Subscriptions: which channel, which events. Bodies from the API are validated here (zod,
// strict: unknown fields refused), and `matches` decides whether an event goes to a subscription.
import { getAddress, isAddress } from "viem";
import { z } from "zod";

import { EVENT_TYPES, type EventType, type NotificationEvent } from "./events.ts";

const address = z
  .string()
  .max(42)
  .refine((v) => isAddress(v, { strict: false }), "must be a 0x address")
  .transform((v) => getAddress(v));

/** An http(s) URL; whether it may point at this machine or a private network is checked at delivery. */
const targetUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && u.username === "" && u.password === "";
    } catch {
      return false;
    }
  }, "must be an http(s) URL without user:password");

export const channelSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("webhook"),
    url: targetUrl,
    /** Signs every body (HMAC-SHA256); at least 16 characters; never returned in full. */
    secret: z.string().min(16, "must be at least 16 characters").max(256),
  }),
  z.strictObject({ type: z.literal("discord"), url: targetUrl }),
  z.strictObject({ type: z.literal("slack"), url: targetUrl }),
  z.strictObject({
    type: z.literal("telegram"),
    botToken: z.string().regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, "must be a bot token from @BotFather (digits:letters)"),
    chatId: z.union([z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, "must be a chat id or @channelname"), z.number().int()]).transform(String),
  }),
  z.strictObject({ type: z.literal("email"), to: z.email({ error: "must be an email address" }).max(254) }),
]);
export type Channel = z.output<typeof channelSchema>;
export type ChannelType = Channel["type"];

export const filterSchema = z.discriminatedUnion("kind", [
  /** Every proposal event (not other members' votes). */
  z.strictObject({ kind: z.literal("all") }),
  /** Proposal events whose latest analysis has at least this risk (no analysis counts as 100); guard and guardian alerts always. */
  z.strictObject({ kind: z.literal("risk"), min: z.number().int().min(0).max(100) }),
  /** The votes this delegate casts. */
  z.strictObject({ kind: z.literal("delegate"), address }),
  /** The votes cast by whoever the subscriber delegates to at the time of the vote. */
  z.strictObject({ kind: z.literal("my-delegate") }),
]);
export type Filter = z.output<typeof filterSchema>;

export const createSubscriptionSchema = z.strictObject({
  channel: channelSchema,
  filter: filterSchema,
  /** Restrict to these event types (default: every type the filter takes). */
  events: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).optional(),
  label: z.string().max(80).optional(),
});
export type CreateSubscription = z.output<typeof createSubscriptionSchema>;

export interface Subscription {
  id: string;
  /** The address that proved itself with Sign-In with Ethereum (checksummed). */
  owner: string;
  channel: Channel;
  filter: Filter;
  events: EventType[] | null;
  label: string | null;
  createdAt: number;
}

/** What the world needs to decide per-subscriber events, found once per poll. */
export interface MatchContext {
  /** owner (lowercase) → their delegate (lowercase) or null. */
  delegateOf: ReadonlyMap<string, string | null>;
  /** For `voting.ending`: proposal id → accounts (lowercase) that voted on it, among owners and their delegates. */
  votersOf: ReadonlyMap<string, ReadonlySet<string>>;
}

const ALARMS: ReadonlySet<EventType> = new Set(["guard.hold", "guard.refusal", "guardian.alert"]);

/** Whether `event` goes to `sub`. */
export function matches(event: NotificationEvent, sub: Subscription, ctx: MatchContext): boolean {
  if (event.type === "test") return false; // sent only to the subscription it was asked for
  if (sub.events && !sub.events.includes(event.type)) return false;
  const owner = sub.owner.toLowerCase();
  if (event.type === "vote.cast") {
    const voter = event.data.voter.toLowerCase();
    if (sub.filter.kind === "delegate") return sub.filter.address.toLowerCase() === voter;
    if (sub.filter.kind === "my-delegate") {
      const delegate = ctx.delegateOf.get(owner);
      return delegate !== undefined && delegate !== null && delegate === voter && delegate !== owner;
    }
    return false;
  }
  if (sub.filter.kind === "delegate" || sub.filter.kind === "my-delegate") return false;
  if (event.type === "voting.ending") {
    const voted = ctx.votersOf.get(event.proposalId) ?? new Set<string>();
    const delegate = ctx.delegateOf.get(owner);
    if (voted.has(owner) || (delegate && voted.has(delegate))) return false;
  }
  if (sub.filter.kind === "risk") return ALARMS.has(event.type) || (event.risk ?? 100) >= sub.filter.min;
  return true;
}

/** A channel as the API shows it: secrets and the token-bearing parts of URLs masked. */
export function publicChannel(channel: Channel): Record<string, string> {
  switch (channel.type) {
    case "webhook":
      return { type: channel.type, url: maskUrl(channel.url), secret: mask(channel.secret) };
    case "discord":
    case "slack":
      return { type: channel.type, url: maskUrl(channel.url) };
    case "telegram":
      return { type: channel.type, botToken: mask(channel.botToken), chatId: channel.chatId };
    case "email":
      return { type: channel.type, to: channel.to };
  }
}

/** `…` and the last 4 characters. */
export function mask(secret: string): string {
  return `…${secret.slice(-4)}`;
}

/** Origin and a masked path: Discord and Slack webhook URLs are credentials. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname.length > 1 || u.search ? `${u.origin}/…${(u.pathname + u.search).slice(-4)}` : u.origin;
  } catch {
    return "(invalid url)";
  }
}
