// A proposal's identity comes from bytes, never from text. The Governor hashes the description's
// exact bytes (`keccak256(bytes(description))`), and a decoder that turns those bytes into a
// JavaScript string may drop or replace some of them: viem's `hexToString` (TextDecoder) drops a
// leading byte-order mark and replaces invalid UTF-8 with U+FFFD, so hashing the decoded text again
// gives another hash and another proposal id. Every part reads the description as bytes from the
// event and derives ids and hashes from those bytes with the functions here.
import {
  decodeAbiParameters,
  decodeEventLog,
  encodeAbiParameters,
  getAddress,
  keccak256,
  parseAbi,
  parseAbiParameters,
  stringToBytes,
  toHex,
  type Address,
  type Hex,
} from "viem";

/** The Governor's ProposalCreated event (OpenZeppelin 4.x and 5.x). */
export const proposalCreatedEvent = parseAbi([
  "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)",
])[0];

/** The same data with the description read as bytes: ABI-encoded `string` and `bytes` are identical. */
const proposalCreatedData = parseAbiParameters(
  "uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, bytes description",
);

/** A ProposalCreated event with the description's exact bytes. */
export interface ProposalCreated {
  proposalId: bigint;
  proposer: Address;
  targets: Address[];
  values: bigint[];
  signatures: string[];
  calldatas: Hex[];
  voteStart: bigint;
  voteEnd: bigint;
  /** The description exactly as emitted (hex of its bytes): what the Governor hashed. */
  descriptionBytes: Hex;
  /** keccak256 of {@link descriptionBytes}. */
  descriptionHash: Hex;
}

/**
 * Decodes a ProposalCreated log with the description as raw bytes. Throws when the log is not a
 * ProposalCreated event. The proposal id emitted is checked against the id computed from the
 * bytes, so a decoder mistake can never pass silently.
 */
export function decodeProposalCreated(log: { data: Hex; topics: readonly Hex[] }): ProposalCreated {
  // Checks the topic (the event signature) and the data's shape.
  decodeEventLog({ abi: [proposalCreatedEvent], data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: true });
  const [proposalId, proposer, targets, values, signatures, calldatas, voteStart, voteEnd, descriptionBytes] = decodeAbiParameters(proposalCreatedData, log.data);
  const created: ProposalCreated = {
    proposalId,
    proposer: getAddress(proposer),
    targets: targets.map((t) => getAddress(t)),
    values: [...values],
    signatures: [...signatures],
    calldatas: calldatas.map((c) => c.toLowerCase() as Hex),
    voteStart,
    voteEnd,
    descriptionBytes: descriptionBytes.toLowerCase() as Hex,
    descriptionHash: hashDescription(descriptionBytes),
  };
  const computed = hashProposal(created);
  if (computed !== proposalId) {
    throw new Error(`ProposalCreated: emitted proposal id ${proposalId} is not the hash of its own fields (${computed}); not an OpenZeppelin Governor id`);
  }
  return created;
}

/** The bytes a description string stands for (its UTF-8), for descriptions typed by a person. */
export function descriptionBytesOf(text: string): Hex {
  return toHex(stringToBytes(text));
}

/** `keccak256(bytes(description))`, the Governor's description hash, from the exact bytes. */
export function hashDescription(descriptionBytes: Hex | Uint8Array): Hex {
  return keccak256(descriptionBytes);
}

/** The Governor's proposal id: `uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)))`. */
export function hashProposal(p: { targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[]; descriptionHash: Hex }): bigint {
  return BigInt(keccak256(encodeAbiParameters(parseAbiParameters("address[], uint256[], bytes[], bytes32"), [p.targets, p.values, p.calldatas, p.descriptionHash])));
}

/** GovernorTimelockControl's timelock salt: `bytes20(governor) ^ descriptionHash`. */
export function timelockSalt(governor: Address, descriptionHash: Hex): Hex {
  return toHex((BigInt(governor) << 96n) ^ BigInt(descriptionHash), { size: 32 });
}
