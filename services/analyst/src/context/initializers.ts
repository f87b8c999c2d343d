// What the chain says about the contracts a proposal calls an initializer on: whether they are
// already initialised (OpenZeppelin 5's Initializable storage), who controls them and what they
// hold. Read once per analysis; the `initializer-call` check judges it with the fork simulation.
import { encodeAbiParameters, erc20Abi, getAddress, hexToBigInt, keccak256, parseAbi, toFunctionSelector, toHex, type Address, type Hex, type PublicClient } from "viem";

import { INITIALIZER_SIGNATURES, type DecodedCall } from "@ai-dao/protocol";

import type { AnalysisContext } from "../checks/types.ts";

/**
 * OpenZeppelin 5's ERC-7201 slot of `Initializable`:
 * `keccak256(abi.encode(uint256(keccak256("openzeppelin.storage.Initializable")) - 1)) & ~bytes32(uint256(0xff))`.
 * Its low 64 bits are `_initialized` (the version), the next byte `_initializing`.
 */
export const INITIALIZABLE_SLOT: Hex = (() => {
  const inner = hexToBigInt(keccak256(toHex("openzeppelin.storage.Initializable"))) - 1n;
  const outer = hexToBigInt(keccak256(encodeAbiParameters([{ type: "uint256" }], [inner])));
  return toHex(outer & ~0xffn, { size: 32 });
})();

/** `_initialized` when initializers are disabled (`_disableInitializers`, an implementation contract). */
const DISABLED_VERSION = 2n ** 64n - 1n;
/**
 * Code compiled with OpenZeppelin 5's Initializable holds its slot as a constant: pushed (PUSH32
 * <slot>) by the legacy code generator, or kept as data and copied from the code by the IR one.
 */
const SLOT_BYTES = INITIALIZABLE_SLOT.slice(2);

/** Names of functions that initialise a contract: `initialize`, `initializeV2`, `reinitialize`, `init`, `__Ownable_init`, ... */
const INITIALIZER_NAME = /^(?:initiali[sz]e(?:V\d+)?|reinitiali[sz]e(?:V\d+)?|init|__\w+_init(?:_unchained)?)$/;

/** Common initializer signatures (`@ai-dao/protocol`'s `INITIALIZER_SIGNATURES`) by selector, to recognise an initializer call no known ABI decodes. */
const KNOWN_INITIALIZERS: ReadonlyMap<Hex, string> = new Map(INITIALIZER_SIGNATURES.map((s) => [toFunctionSelector(s), s.slice(0, s.indexOf("("))]));

/** The initializer a call makes (`initialize`, `reinitialize`, ...), from its decoded name or a known selector; null when it is not one. */
export function initializerName(call: DecodedCall): string | null {
  if (call.kind !== "call" || call.selector === null) return null;
  if (call.decoded && call.functionName !== undefined) return INITIALIZER_NAME.test(call.functionName) ? call.functionName : null;
  return KNOWN_INITIALIZERS.get(call.selector.toLowerCase() as Hex) ?? null;
}

/** Whether the target's storage says it is initialised. */
export type InitializedState =
  /** OpenZeppelin 5's slot is set: `version` is `_initialized` (`disabled`: initializers disabled, as on an implementation). */
  | { kind: "initialized"; version: bigint; disabled: boolean; initializing: boolean }
  /** The slot is empty and the code (or its implementation's) uses OpenZeppelin 5's Initializable. */
  | { kind: "not-initialized" }
  /** No code at the analysed block. */
  | { kind: "no-code" }
  /** Cannot be read from storage (another Initializable layout, or a read failed). */
  | { kind: "unknown"; reason: string };

export interface InitializerInfo {
  callIndex: number;
  target: Address;
  /** The initializer called. */
  name: string;
  state: InitializedState;
  /** The ERC-1967 implementation whose code was looked at too, for a proxy. */
  implementation: Address | null;
  /** How the DAO controls the target: its `owner()`, its ERC-1967 admin (or that admin's owner), or the default admin role. */
  daoControl: ("owner" | "proxy-admin" | "admin-role")[];
  /** `owner()` when it answers. */
  owner: Address | null;
  /** ETH and tokens (those the treasury holds or a call touches) the target holds, non-zero only. */
  holdings: { asset: "ETH" | Address; amount: bigint }[];
  /** A token balance of the target could not be read: it may hold value (judged as if it did). */
  holdingsUnread?: boolean;
}

const views = parseAbi(["function owner() view returns (address)", "function hasRole(bytes32 role, address account) view returns (bool)"]);
const DEFAULT_ADMIN_ROLE = `0x${"00".repeat(32)}` as Hex;

/**
 * Reads, for every call of the proposal to an initializer, the target's initialised state, how the
 * DAO controls it and what it holds, at the analysed block. One unreadable target gives an `unknown`
 * state with the reason; it never stops the others.
 */
export async function readInitializers(
  client: PublicClient,
  ctx: Pick<AnalysisContext, "calls" | "targets" | "deployment" | "governance" | "blockNumber">,
): Promise<InitializerInfo[]> {
  const { blockNumber } = ctx;
  const timelock = ctx.deployment.contracts.timelock.toLowerCase();
  const tokens = ctx.governance.balances.flatMap((b) => (b.asset === "ETH" ? [] : [b.asset]));
  const calls = ctx.calls.flatMap((call) => {
    const name = initializerName(call);
    return name === null ? [] : [{ call, name }];
  });
  return Promise.all(
    calls.map(async ({ call, name }): Promise<InitializerInfo> => {
      const target = getAddress(call.target);
      const info = ctx.targets.find((t) => t.address.toLowerCase() === target.toLowerCase());
      const implementation = info?.proxy?.implementation ?? null;
      const base: InitializerInfo = { callIndex: call.index, target, name, state: { kind: "unknown", reason: "not read" }, implementation, daoControl: [], owner: null, holdings: [] };
      if (info?.delegatedTo !== undefined) return { ...base, state: { kind: "unknown", reason: "it is an EIP-7702 delegated account" } };
      if (info !== undefined && info.kind !== "contract") return { ...base, state: { kind: "no-code" } };
      const optional = <T>(p: Promise<T>): Promise<T | null> => p.catch(() => null);
      try {
        const [word, code, implementationCode, owner, adminRole, tokenHoldings] = await Promise.all([
          client.getStorageAt({ address: target, slot: INITIALIZABLE_SLOT, blockNumber }),
          client.getCode({ address: target, blockNumber }),
          implementation !== null ? client.getCode({ address: implementation, blockNumber }) : Promise.resolve(undefined),
          optional(client.readContract({ address: target, abi: views, functionName: "owner", blockNumber }) as Promise<Address>),
          optional(client.readContract({ address: target, abi: views, functionName: "hasRole", args: [DEFAULT_ADMIN_ROLE, ctx.deployment.contracts.timelock], blockNumber }) as Promise<boolean>),
          Promise.all(tokens.map(async (token) => ({ asset: token, amount: await optional(client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [target], blockNumber }) as Promise<bigint>) }))),
        ]);
        if (code === undefined || code === "0x") return { ...base, state: { kind: "no-code" } };
        const daoControl: InitializerInfo["daoControl"] = [];
        if (typeof owner === "string" && owner.toLowerCase() === timelock) daoControl.push("owner");
        const admin = info?.proxy?.admin ?? null;
        if (admin !== null) {
          const adminOwner = admin.toLowerCase() === timelock ? null : await optional(client.readContract({ address: admin, abi: views, functionName: "owner", blockNumber }) as Promise<Address>);
          if (admin.toLowerCase() === timelock || (typeof adminOwner === "string" && adminOwner.toLowerCase() === timelock)) daoControl.push("proxy-admin");
        }
        if (adminRole === true) daoControl.push("admin-role");
        const balance = info?.balance ?? (await client.getBalance({ address: target, blockNumber }));
        const holdings = [...(balance > 0n ? [{ asset: "ETH" as const, amount: balance }] : []), ...tokenHoldings.flatMap((h) => (h.amount !== null && h.amount > 0n ? [{ asset: h.asset, amount: h.amount }] : []))];
        const holdingsUnread = tokenHoldings.some((h) => h.amount === null);

        const value = word === undefined ? 0n : hexToBigInt(word);
        const version = value & DISABLED_VERSION;
        const initializing = ((value >> 64n) & 0xffn) !== 0n;
        const usesSlot = [code, implementationCode].some((c) => typeof c === "string" && c.toLowerCase().includes(SLOT_BYTES));
        let state: InitializedState;
        if (version > 0n) state = { kind: "initialized", version, disabled: version === DISABLED_VERSION, initializing };
        else if (initializing) state = { kind: "unknown", reason: "OpenZeppelin's Initializable storage says it is being initialised" };
        else if (usesSlot) state = { kind: "not-initialized" };
        else state = { kind: "unknown", reason: "its code does not use OpenZeppelin 5's Initializable storage, so whether it was initialised cannot be read" };
        return { ...base, state, daoControl, owner: typeof owner === "string" ? getAddress(owner) : null, holdings, ...(holdingsUnread ? { holdingsUnread } : {}) };
      } catch (error) {
        const message = (error as { shortMessage?: unknown; message?: unknown })?.shortMessage ?? (error as { message?: unknown })?.message;
        return { ...base, state: { kind: "unknown", reason: `could not be read: ${(typeof message === "string" ? message : String(error)).split("\n")[0]!.slice(0, 200)}` } };
      }
    }),
  );
}
