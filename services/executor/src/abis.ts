import { parseAbi } from "viem";

/** The parts of the Governor (OZ v5 + GovernorTimelockControl + GovernorStorage) the executor uses. */
export const governorAbi = parseAbi([
  "function state(uint256 proposalId) view returns (uint8)",
  "function proposalEta(uint256 proposalId) view returns (uint256)",
  "function proposalNeedsQueuing(uint256 proposalId) view returns (bool)",
  "function proposalGuardian() view returns (address)",
  "function timelock() view returns (address)",
  "function queue(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) returns (uint256)",
  "function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) payable returns (uint256)",
]);

export const timelockAbi = parseAbi([
  "function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) pure returns (bytes32)",
  "function isOperationReady(bytes32 id) view returns (bool)",
  "function isOperationDone(bytes32 id) view returns (bool)",
]);

/** The DecisionLog ABI is `@ai-dao/protocol`'s. */
export { decisionLogAbi } from "@ai-dao/protocol";

/** IBeacon, for ERC-1967 beacon proxies. */
export const beaconAbi = parseAbi(["function implementation() view returns (address)"]);

/** ERC-1967 storage slots. */
export const ERC1967_IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
export const ERC1967_BEACON_SLOT = "0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50";
