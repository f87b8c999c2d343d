// The ABIs every part uses. The DAO's own contracts' come from the compiled artifacts
// (src/generated/abis.ts, written by scripts/abis.ts); the standards a proposal may call on
// contracts outside the DAO are listed here by hand, as their interfaces are fixed.
import { parseAbi, type Abi } from "viem";

import { decisionLogAbi, governorAbi, timelockAbi, tokenAbi } from "./generated/abis.ts";

export { decisionLogAbi, governorAbi, timelockAbi, tokenAbi };

/** The DAO's contracts, keyed as in the deployment file's `contracts`. */
export type ContractRole = "token" | "governor" | "timelock" | "decisionLog";

/** Each DAO contract's ABI by its role. */
export const daoAbis = {
  token: tokenAbi,
  governor: governorAbi,
  timelock: timelockAbi,
  decisionLog: decisionLogAbi,
} as const satisfies Record<ContractRole, Abi>;

/** Each DAO contract's Solidity name by its role. */
export const contractNames: Readonly<Record<ContractRole, string>> = {
  token: "DAOToken",
  governor: "DAOGovernor",
  timelock: "TimelockController",
  decisionLog: "DecisionLog",
};

/**
 * Every custom error the DAO's contracts can revert with, their own and those of the OpenZeppelin
 * libraries they use (the compiler lists both in a contract's ABI), each once.
 */
export const daoErrorsAbi: Abi = (() => {
  const seen = new Map<string, Abi[number]>();
  for (const abi of Object.values(daoAbis) as Abi[]) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const signature = `${item.name}(${item.inputs.map((input) => input.type).join(",")})`;
      if (!seen.has(signature)) seen.set(signature, item);
    }
  }
  return [...seen.values()];
})();

/** Standards a proposal may call on contracts outside the DAO, by name. Order matters on selector clashes. */
export const standardAbis: readonly { name: string; abi: Abi }[] = [
  {
    name: "ERC20",
    abi: parseAbi([
      "function transfer(address to, uint256 amount) returns (bool)",
      "function transferFrom(address from, address to, uint256 amount) returns (bool)",
      "function approve(address spender, uint256 amount) returns (bool)",
      "function increaseAllowance(address spender, uint256 addedValue) returns (bool)",
      "function decreaseAllowance(address spender, uint256 subtractedValue) returns (bool)",
      "function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)",
      "function delegate(address delegatee)",
    ]),
  },
  {
    name: "ERC721",
    abi: parseAbi([
      "function safeTransferFrom(address from, address to, uint256 tokenId)",
      "function safeTransferFrom(address from, address to, uint256 tokenId, bytes data)",
      "function setApprovalForAll(address operator, bool approved)",
    ]),
  },
  {
    name: "ERC1155",
    abi: parseAbi([
      "function safeTransferFrom(address from, address to, uint256 id, uint256 amount, bytes data)",
      "function safeBatchTransferFrom(address from, address to, uint256[] ids, uint256[] amounts, bytes data)",
    ]),
  },
  {
    name: "AccessControl",
    abi: parseAbi([
      "function grantRole(bytes32 role, address account)",
      "function revokeRole(bytes32 role, address account)",
      "function renounceRole(bytes32 role, address callerConfirmation)",
    ]),
  },
  {
    name: "Ownable",
    abi: parseAbi(["function transferOwnership(address newOwner)", "function renounceOwnership()", "function acceptOwnership()"]),
  },
  {
    name: "UUPS",
    abi: parseAbi(["function upgradeToAndCall(address newImplementation, bytes data) payable", "function upgradeTo(address newImplementation)"]),
  },
  {
    name: "ERC1967Proxy",
    abi: parseAbi([
      "function changeAdmin(address newAdmin)",
      "function upgradeAndCall(address proxy, address implementation, bytes data) payable",
      "function changeProxyAdmin(address proxy, address newAdmin)",
    ]),
  },
];

/** Events of the common standards, tried after a contract's own ABI. ERC20 and ERC721 `Transfer` share a topic, so each is its own ABI. */
export const standardEventAbis: readonly { name: string; abi: Abi }[] = [
  { name: "ERC20", abi: parseAbi(["event Transfer(address indexed from, address indexed to, uint256 value)", "event Approval(address indexed owner, address indexed spender, uint256 value)"]) },
  { name: "ERC721", abi: parseAbi(["event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)", "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)"]) },
  {
    name: "AccessControl",
    abi: parseAbi([
      "event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)",
      "event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)",
      "event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)",
    ]),
  },
  { name: "Ownable", abi: parseAbi(["event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)"]) },
  {
    name: "ERC1967",
    abi: parseAbi(["event Upgraded(address indexed implementation)", "event AdminChanged(address previousAdmin, address newAdmin)", "event BeaconUpgraded(address indexed beacon)"]),
  },
];

/** IBeacon, for ERC-1967 beacon proxies. */
export const beaconAbi = parseAbi(["function implementation() view returns (address)"]);

/** ERC-1967 storage slots: `keccak256("eip1967.proxy.<name>") - 1`. */
export const ERC1967_IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc" as const;
export const ERC1967_ADMIN_SLOT = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103" as const;
export const ERC1967_BEACON_SLOT = "0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50" as const;
