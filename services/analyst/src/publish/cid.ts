import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";

/**
 * The IPFS CIDv1 of a report's bytes: raw codec (0x55), sha2-256, base32 lower-case (`bafkrei…`).
 * Pinning the same bytes anywhere gives the same CID.
 */
export function reportCid(bytes: Uint8Array): string {
  const digest = sha256.digest(raw.encode(bytes));
  // sha256.digest is synchronous in Node (multiformats uses node:crypto there).
  if (digest instanceof Promise) throw new Error("sha2-256 digest is not synchronous on this platform");
  return CID.create(1, raw.code, digest).toString();
}
