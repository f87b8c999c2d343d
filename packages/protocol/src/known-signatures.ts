// Well-known function signatures beyond the DAO's ABIs and the standard ABIs: the analyst and the web
// app decode calls with them (as the `extra` ABIs of `decodeCalls` / `createCallDecoder`), so voters
// see the decoding the analyst used, and the analyst's initializer check recognises initializers by
// their selectors. One list, used by all.
import { parseAbi, type Abi } from "viem";

import type { ExtraAbi } from "./decode.ts";

/** Names of common initializers (OpenZeppelin's `initialize` / `reinitialize`, upgradeable base contracts' `__*_init`). */
const INITIALIZER_NAMES = [
  "initialize",
  "initializeV2",
  "initializeV3",
  "initializeV4",
  "initializeV5",
  "reinitialize",
  "init",
  "__Ownable_init",
  "__AccessControl_init",
  "__UUPSUpgradeable_init",
  "__ERC20_init",
  "__Pausable_init",
] as const;

/** Parameter lists those initializers commonly take. */
const INITIALIZER_SHAPES = [
  "",
  "address",
  "address,address",
  "address,address,address",
  "address,address,address,address",
  "address,uint256",
  "address,address,uint256",
  "address,uint256,uint256",
  "uint256",
  "uint64",
  "uint8",
  "bytes",
  "address,bytes",
  "string,string",
  "string,string,address",
  "string,string,uint8",
  "address,string,string",
  "address[]",
  "address,address[]",
  "address[],uint256",
] as const;

/** Every initializer signature the analyst knows, e.g. `initialize(address)`, `reinitialize(uint64)`. */
export const INITIALIZER_SIGNATURES: readonly string[] = INITIALIZER_NAMES.flatMap((name) => INITIALIZER_SHAPES.map((shape) => `${name}(${shape})`));

/** The name calls decoded with these signatures carry as their `abiSource`. */
export const KNOWN_SIGNATURES_SOURCE = "well-known signatures";

/**
 * The well-known signatures as extra ABIs for `decodeCalls` / `createCallDecoder`: tried on any
 * target after its own ABI (a DAO contract's) and before the standards.
 */
export const knownSignatureAbis: readonly ExtraAbi[] = [{ name: KNOWN_SIGNATURES_SOURCE, abi: parseAbi(INITIALIZER_SIGNATURES.map((s) => `function ${s}`)) as Abi }];
