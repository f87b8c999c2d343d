import type { Address } from "viem";

/** Why a proposal touches an account outside the DAO. */
export type CounterpartyRole = "recipient" | "spender" | "new-owner" | "grantee" | "target";

/**
 * What the chain says about an account outside the DAO that a proposal pays, empowers or calls:
 * read once per analysis by `readCounterparties`, looked at by the checks (never fetched by them).
 */
export interface CounterpartyInfo {
  address: Address;
  roles: CounterpartyRole[];
  /** The calls that involve it. */
  callIndexes: number[];
  /** `delegated-eoa`: an EIP-7702 account (its code is a delegation designator to `delegatedTo`). */
  kind: "eoa" | "contract" | "delegated-eoa";
  delegatedTo?: Address;
  /** Who controls a contract: `owner()`, or the ERC-1967 admin of a proxy; whether that is an EOA. */
  controller?: { via: "owner" | "proxy-admin"; address: Address; isEoa: boolean };
  /** When it is a Safe (answers `getOwners()` and `getThreshold()`). */
  safe?: { owners: Address[]; threshold: number };
  /** The first block with code (contracts) or with a transaction from it (EOAs); null when unknown. */
  firstSeen: { blockNumber: bigint; timestamp: bigint } | null;
  /** Earlier transfers from the treasury to it or earlier proposals calling it; null when unknown. */
  priorInteractions: number | null;
  /** One key outside the DAO can move what it receives: an EOA, a 7702 account, a contract owned by an EOA, a Safe with threshold 1. */
  singleKeyControl: boolean;
}
