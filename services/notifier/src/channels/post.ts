// One HTTP POST to an endpoint a subscriber chose. The URL is hostile: it may name this machine or
// a private network (the metadata service, the executor's port). Unless local targets are allowed
// (development, tests), every address the host resolves to must be public, checked in the lookup
// the connection itself uses, so a DNS answer cannot change between check and connect. Redirects
// are not followed; each attempt has one deadline for connect, send and answer.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) PRIVATE.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) PRIVATE.addSubnet(net, prefix, "ipv6");

/** Whether an IP address is loopback, private, link-local, reserved or multicast (IPv4-mapped IPv6 included). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return PRIVATE.check(mapped[1]!, "ipv4");
  const family = isIP(ip);
  if (family === 0) return true;
  return PRIVATE.check(ip, family === 4 ? "ipv4" : "ipv6");
}

export class TargetRefused extends Error {
  override name = "TargetRefused";
}

/** The connection's DNS lookup when private targets are not allowed: any private answer refuses the whole name. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad || list.length === 0) return callback(new TargetRefused(`${hostname} resolves to a private or local address; refused`), "", 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

export interface PostOptions {
  timeoutMs: number;
  /** Allow loopback and private addresses (development and tests only). */
  allowPrivate: boolean;
  signal?: AbortSignal;
  /** Largest answer body read, in bytes (the rest is dropped). */
  maxResponseBytes?: number;
}

export interface PostResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Why a URL may not be a delivery target (null: it may): without private targets allowed, only
 * https, and no loopback, private or link-local address literal nor `localhost`. Names are checked
 * again when they are resolved, in the connection's lookup.
 */
export function targetProblem(target: URL, allowPrivate: boolean): string | null {
  if (target.protocol !== "https:" && target.protocol !== "http:") return "only http and https URLs";
  if (allowPrivate) return null;
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (target.protocol !== "https:") return "only https URLs";
  if (isIP(host) !== 0 && isPrivateAddress(host)) return "a private or local address; refused";
  if (host === "localhost" || host.endsWith(".localhost")) return "a local address; refused";
  return null;
}

/** POSTs `body`; resolves with the answer whatever its status, rejects on a refused target, network error or the deadline. */
export function post(url: string, body: string | Buffer, headers: Record<string, string>, o: PostOptions): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return reject(new TargetRefused("not a URL"));
    }
    const refused = targetProblem(target, o.allowPrivate);
    if (refused) return reject(new TargetRefused(refused));
    const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs), ...(o.signal ? [o.signal] : [])]);
    const request = (target.protocol === "https:" ? https : http).request(
      target,
      {
        method: "POST",
        headers: { "content-length": String(Buffer.byteLength(body)), "user-agent": "ai-dao-notifier/0.1", ...headers },
        signal,
        ...(o.allowPrivate ? {} : { lookup: guardedLookup }),
        agent: false,
      },
      (response) => {
        const max = o.maxResponseBytes ?? 65_536;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size < max) chunks.push(chunk.subarray(0, max - size));
          size += chunk.length;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", (error) => reject(signal.aborted && !(o.signal?.aborted) ? new Error(`no answer within ${o.timeoutMs} ms`) : error));
    request.end(body);
  });
}
