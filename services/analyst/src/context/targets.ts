import { ERC1967_ADMIN_SLOT, ERC1967_IMPLEMENTATION_SLOT } from "@ai-dao/protocol";
import { getAddress, keccak256, size, slice, type Address, type Hex, type PublicClient } from "viem";

/** Opcodes worth a reviewer's attention in a contract the treasury calls. */
export const OPCODES = { SELFDESTRUCT: 0xff, DELEGATECALL: 0xf4, CREATE2: 0xf5 } as const;
export type OpcodeName = keyof typeof OPCODES;

export interface OpcodeScan {
  SELFDESTRUCT: boolean;
  DELEGATECALL: boolean;
  CREATE2: boolean;
}

/** What the chain says about one target address at the analysed block. */
export interface TargetInfo {
  address: Address;
  /** The DAO contract at this address (`governor`, `timelock`, ...), if any. */
  label?: string;
  kind: "contract" | "eoa" | "empty";
  /** EIP-7702: an account whose code is a delegation designator acts like the contract it points to. */
  delegatedTo?: Address;
  codeSize: number;
  codeHash: Hex | null;
  balance: bigint;
  nonce: number;
  opcodes: OpcodeScan;
  /** ERC-1967 implementation and admin, when those slots are set. */
  proxy?: { implementation: Address | null; admin: Address | null; implementationCodeHash: Hex | null; implementationOpcodes?: OpcodeScan };
}

/** Solidity appends CBOR metadata after the code; its last two bytes give its length. Strip it so its bytes are not read as opcodes. */
export function stripMetadata(code: Uint8Array): Uint8Array {
  if (code.length < 2) return code;
  const cborLength = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  const start = code.length - 2 - cborLength;
  if (cborLength > 0 && start >= 0) {
    const first = code[start]!;
    // A CBOR map with 1..5 entries (0xa1..0xa5) is how solc and vyper start their metadata.
    if (first >= 0xa1 && first <= 0xa5) return code.subarray(0, start);
  }
  return code;
}

/**
 * Walks runtime bytecode instruction by instruction, skipping the immediate data of PUSH1..PUSH32,
 * so a 0xff inside a pushed constant is not mistaken for SELFDESTRUCT.
 */
export function scanOpcodes(code: Hex): OpcodeScan {
  const found: OpcodeScan = { SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: false };
  const bytes = stripMetadata(hexToBytesLoose(code));
  for (let pc = 0; pc < bytes.length; pc++) {
    const op = bytes[pc]!;
    if (op >= 0x60 && op <= 0x7f) {
      pc += op - 0x5f;
      continue;
    }
    if (op === OPCODES.SELFDESTRUCT) found.SELFDESTRUCT = true;
    else if (op === OPCODES.DELEGATECALL) found.DELEGATECALL = true;
    else if (op === OPCODES.CREATE2) found.CREATE2 = true;
  }
  return found;
}

function hexToBytesLoose(hex: Hex): Uint8Array {
  const clean = hex.slice(2);
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function slotAddress(word: Hex | undefined): Address | null {
  if (word === undefined || BigInt(word) === 0n) return null;
  return getAddress(slice(word, 12, 32));
}

/** Inspects one address at `blockNumber`: code, balance, nonce, dangerous opcodes, ERC-1967 slots. */
export async function inspectTarget(client: PublicClient, address: Address, blockNumber: bigint, label?: string): Promise<TargetInfo> {
  const [code, balance, nonce] = await Promise.all([
    client.getCode({ address, blockNumber }),
    client.getBalance({ address, blockNumber }),
    client.getTransactionCount({ address, blockNumber }),
  ]);
  const bytecode = (code ?? "0x") as Hex;
  const codeSize = size(bytecode);
  const base = { address, ...(label !== undefined ? { label } : {}), balance, nonce, codeSize };
  if (codeSize === 0) {
    const empty = balance === 0n && nonce === 0;
    return { ...base, kind: empty ? "empty" : "eoa", codeHash: null, opcodes: scanOpcodes("0x") };
  }
  // EIP-7702 delegation designator: 0xef0100 || address.
  if (codeSize === 23 && bytecode.startsWith("0xef0100")) {
    return { ...base, kind: "eoa", delegatedTo: getAddress(slice(bytecode, 3)), codeHash: keccak256(bytecode), opcodes: scanOpcodes("0x") };
  }
  const [implementationWord, adminWord] = await Promise.all([
    client.getStorageAt({ address, slot: ERC1967_IMPLEMENTATION_SLOT, blockNumber }),
    client.getStorageAt({ address, slot: ERC1967_ADMIN_SLOT, blockNumber }),
  ]);
  const implementation = slotAddress(implementationWord);
  const admin = slotAddress(adminWord);
  const info: TargetInfo = { ...base, kind: "contract", codeHash: keccak256(bytecode), opcodes: scanOpcodes(bytecode) };
  if (implementation !== null || admin !== null) {
    let implementationCodeHash: Hex | null = null;
    let implementationOpcodes: OpcodeScan | undefined;
    if (implementation !== null) {
      const implCode = await client.getCode({ address: implementation, blockNumber });
      if (implCode !== undefined && size(implCode) > 0) {
        implementationCodeHash = keccak256(implCode);
        implementationOpcodes = scanOpcodes(implCode);
      }
    }
    info.proxy = { implementation, admin, implementationCodeHash, ...(implementationOpcodes ? { implementationOpcodes } : {}) };
  }
  return info;
}

/** Inspects every distinct target of a proposal, in first-seen order. */
export async function inspectTargets(
  client: PublicClient,
  targets: readonly Address[],
  blockNumber: bigint,
  labels: Record<string, string> = {},
): Promise<TargetInfo[]> {
  const unique = [...new Map(targets.map((t) => [t.toLowerCase(), getAddress(t)])).values()];
  return Promise.all(unique.map((address) => inspectTarget(client, address, blockNumber, labels[address.toLowerCase()])));
}
