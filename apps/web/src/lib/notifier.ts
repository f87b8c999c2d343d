// The DAO's notifier (services/notifier): a member proves their address with Sign-In with Ethereum
// (EIP-4361: the wallet signs a message, no transaction), then lists, adds and removes their own
// subscriptions. The session token is kept for this browser tab only.
import type { Address, WalletClient } from "viem";
import { createSiweMessage } from "viem/siwe";

import { fetchService } from "./errors.ts";

export type Channel =
  | { type: "webhook"; url: string; secret: string }
  | { type: "discord"; url: string }
  | { type: "slack"; url: string }
  | { type: "telegram"; botToken: string; chatId: string }
  | { type: "email"; to: string };

export type Filter = { kind: "all" } | { kind: "risk"; min: number } | { kind: "delegate"; address: string } | { kind: "my-delegate" };

/** A subscription as the notifier shows it to its owner (secrets masked). */
export interface Subscription {
  id: string;
  channel: Record<string, unknown> & { type: Channel["type"] };
  filter: Filter;
  events: string[] | null;
  label: string | null;
  createdAt: string;
}

export interface Session {
  token: string;
  address: string;
  expiresAt: string;
}

/** A refusal from the notifier, in its own words. */
export class NotifierError extends Error {
  override name = "NotifierError";
}

const storageKey = (address: string) => `notifier-session:${address.toLowerCase()}`;

/** The session this tab holds for `address`, if it has not expired. */
export function savedSession(address: string): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(storageKey(address)) ?? "null") as Session | null;
    return session !== null && Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

/** The form's names for the fields the notifier names in a refusal. */
const FIELD_NAMES: Record<string, string> = {
  "channel.url": "Webhook URL",
  "channel.to": "Email address",
  "channel.secret": "Secret",
  "channel.botToken": "Bot token",
  "channel.chatId": "Chat id",
  "filter.address": "Delegate's address",
  "filter.min": "Lowest risk",
  label: "Name",
};

async function call<T>(notifierUrl: string, path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const response = await fetchService("the notifier", `${notifierUrl.replace(/\/$/, "")}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const body = (await response.json().catch(() => null)) as (T & { error?: string; details?: { path: string; message: string }[] }) | null;
  if (!response.ok || body === null) {
    const issues = Array.isArray(body?.details) ? body.details.map((i) => `${FIELD_NAMES[i.path] ?? i.path}: ${i.message}`).join("; ") : undefined;
    if (issues) throw new NotifierError(`The notifier did not accept this. ${issues}.`);
    const message = typeof body?.error === "string" ? body.error : `the notifier answered ${response.status}`;
    throw new NotifierError(`${message.charAt(0).toUpperCase()}${message.slice(1)}.`);
  }
  return body;
}

/** Signs in as `account`: a nonce from the notifier, an EIP-4361 message signed in the wallet, a session. */
export async function signIn(notifierUrl: string, wallet: WalletClient, account: Address, chainId: number): Promise<Session> {
  const { nonce } = await call<{ nonce: string }>(notifierUrl, "/auth/nonce", { method: "POST", body: "{}" });
  const message = createSiweMessage({
    address: account,
    chainId,
    domain: location.host,
    uri: location.origin,
    version: "1",
    nonce,
    statement: "Sign in to manage your notifications from the DAO. This costs nothing and sends no transaction.",
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 10 * 60_000),
  });
  const signature = await wallet.signMessage({ account, message });
  const session = await call<Session>(notifierUrl, "/auth/verify", { method: "POST", body: JSON.stringify({ message, signature }) });
  sessionStorage.setItem(storageKey(account), JSON.stringify(session));
  return session;
}

export function signOut(address: string) {
  sessionStorage.removeItem(storageKey(address));
}

export const listSubscriptions = (notifierUrl: string, session: Session) =>
  call<{ subscriptions: Subscription[] }>(notifierUrl, "/subscriptions", {}, session.token).then((r) => r.subscriptions);

export const addSubscription = (notifierUrl: string, session: Session, subscription: { channel: Channel; filter: Filter; label?: string }) =>
  call<Subscription>(notifierUrl, "/subscriptions", { method: "POST", body: JSON.stringify(subscription) }, session.token);

export const deleteSubscription = (notifierUrl: string, session: Session, id: string) =>
  call<{ deleted: string }>(notifierUrl, `/subscriptions/${encodeURIComponent(id)}`, { method: "DELETE" }, session.token);

/** A subscription's filter in words. */
export function filterInWords(filter: Filter, name: (address: string) => string): string {
  switch (filter.kind) {
    case "all":
      return "Every proposal";
    case "risk":
      return `Proposals the analyst rates at risk ${filter.min} or more (and every guard alert)`;
    case "delegate":
      return `Votes of ${name(filter.address)}`;
    case "my-delegate":
      return "Votes of whoever I delegate to";
  }
}

/** Where a subscription's messages go, in words (secrets stay masked). */
export function channelInWords(channel: Subscription["channel"]): string {
  const target = String(channel.url ?? channel.to ?? channel.chatId ?? "");
  const names: Record<Channel["type"], string> = { webhook: "Webhook", discord: "Discord", slack: "Slack", telegram: "Telegram", email: "Email" };
  return `${names[channel.type]}${target ? `: ${target}` : ""}`;
}
