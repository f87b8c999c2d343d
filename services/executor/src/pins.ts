import { getAddress, keccak256, zeroAddress, type Address, type Hex, type PublicClient } from "viem";

import { beaconAbi, ERC1967_BEACON_SLOT, ERC1967_IMPLEMENTATION_SLOT } from "@ai-dao/protocol";

/**
 * What a target's behaviour depends on, recorded when its proposal is created: the target's code
 * hash and, for ERC-1967 proxies, the implementation (or beacon and the beacon's implementation)
 * and that implementation's code hash. `null` code hash: no code at the address.
 */
export interface CodePin {
  address: Address;
  codeHash: Hex | null;
  implementation: Address | null;
  implementationCodeHash: Hex | null;
  beacon: Address | null;
  beaconImplementation: Address | null;
  beaconImplementationCodeHash: Hex | null;
}

export interface PinChange {
  address: Address;
  field: Exclude<keyof CodePin, "address">;
  pinned: string | null;
  current: string | null;
}

type BlockRef = { blockNumber: bigint } | Record<string, never>;

async function codeHash(client: PublicClient, address: Address, at: BlockRef): Promise<Hex | null> {
  const code = await client.getCode({ address, ...at });
  return code === undefined || code === "0x" ? null : keccak256(code);
}

async function slotAddress(client: PublicClient, address: Address, slot: Hex, at: BlockRef): Promise<Address | null> {
  const value = await client.getStorageAt({ address, slot, ...at });
  if (value === undefined || BigInt(value) === 0n) return null;
  const addr = getAddress(`0x${value.slice(-40)}`);
  return addr === zeroAddress ? null : addr;
}

/** Reads the pin of one target at `blockNumber` (latest when omitted). */
export async function readPin(client: PublicClient, address: Address, blockNumber?: bigint): Promise<CodePin> {
  const at: BlockRef = blockNumber === undefined ? {} : { blockNumber };
  const target = getAddress(address);
  const hash = await codeHash(client, target, at);
  const pin: CodePin = {
    address: target,
    codeHash: hash,
    implementation: null,
    implementationCodeHash: null,
    beacon: null,
    beaconImplementation: null,
    beaconImplementationCodeHash: null,
  };
  if (hash === null) return pin;
  pin.implementation = await slotAddress(client, target, ERC1967_IMPLEMENTATION_SLOT, at);
  if (pin.implementation !== null) pin.implementationCodeHash = await codeHash(client, pin.implementation, at);
  pin.beacon = await slotAddress(client, target, ERC1967_BEACON_SLOT, at);
  if (pin.beacon !== null) {
    try {
      const impl = await client.readContract({ address: pin.beacon, abi: beaconAbi, functionName: "implementation", ...at });
      pin.beaconImplementation = getAddress(impl);
      pin.beaconImplementationCodeHash = await codeHash(client, pin.beaconImplementation, at);
    } catch {
      // A beacon slot pointing at something that is not a beacon: the slot itself is still pinned.
    }
  }
  return pin;
}

/** Pins every distinct target of a proposal. */
export async function readPins(client: PublicClient, targets: readonly Address[], blockNumber?: bigint): Promise<CodePin[]> {
  const distinct = [...new Set(targets.map((t) => getAddress(t)))];
  const pins: CodePin[] = [];
  for (const target of distinct) pins.push(await readPin(client, target, blockNumber));
  return pins;
}

const FIELDS = ["codeHash", "implementation", "implementationCodeHash", "beacon", "beaconImplementation", "beaconImplementationCodeHash"] as const;

/** Every field of every pin whose current value differs from the pinned one. */
export function comparePins(pinned: readonly CodePin[], current: readonly CodePin[]): PinChange[] {
  const changes: PinChange[] = [];
  for (const old of pinned) {
    const now = current.find((c) => c.address === old.address);
    if (now === undefined) continue;
    for (const field of FIELDS) {
      if ((old[field] ?? null) !== (now[field] ?? null)) {
        changes.push({ address: old.address, field, pinned: old[field] ?? null, current: now[field] ?? null });
      }
    }
  }
  return changes;
}
