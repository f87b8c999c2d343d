import { readFile } from "node:fs/promises";
import path from "node:path";

import { parseAbi, type Abi } from "viem";

import { ArtifactsMissingError } from "./errors.ts";

/** The repository root (services/analyst/src -> ../../..). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

/** Where Hardhat writes artifacts; `ANALYST_ARTIFACTS_DIR` overrides it. */
export function defaultArtifactsDir(): string {
  return process.env.ANALYST_ARTIFACTS_DIR ?? path.join(REPO_ROOT, "artifacts");
}

export type ContractRole = "token" | "governor" | "timelock" | "decisionLog";

const ARTIFACT_FILES: Record<ContractRole, string> = {
  token: "contracts/DAOToken.sol/DAOToken.json",
  governor: "contracts/DAOGovernor.sol/DAOGovernor.json",
  timelock: "@openzeppelin/contracts/governance/TimelockController.sol/TimelockController.json",
  decisionLog: "contracts/DecisionLog.sol/DecisionLog.json",
};

export const CONTRACT_NAMES: Record<ContractRole, string> = {
  token: "DAOToken",
  governor: "DAOGovernor",
  timelock: "TimelockController",
  decisionLog: "DecisionLog",
};

export type DeploymentAbis = Record<ContractRole, Abi>;

const cache = new Map<string, Promise<DeploymentAbis>>();

/** Reads the ABIs of the DAO's own contracts from the Hardhat artifacts (once per directory). */
export function loadDeploymentAbis(dir = defaultArtifactsDir()): Promise<DeploymentAbis> {
  let loaded = cache.get(dir);
  if (loaded === undefined) {
    loaded = (async () => {
      const entries = await Promise.all(
        (Object.keys(ARTIFACT_FILES) as ContractRole[]).map(async (role) => {
          const file = path.join(dir, ARTIFACT_FILES[role]);
          try {
            const artifact = JSON.parse(await readFile(file, "utf8")) as { abi: Abi };
            return [role, artifact.abi] as const;
          } catch (error) {
            throw new ArtifactsMissingError(`cannot read the ABI of ${CONTRACT_NAMES[role]}`, [
              `${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
              "run `npx hardhat build` at the repository root first",
            ]);
          }
        }),
      );
      return Object.fromEntries(entries) as DeploymentAbis;
    })();
    loaded.catch(() => cache.delete(dir));
    cache.set(dir, loaded);
  }
  return loaded;
}

/** Common standards a proposal may call on contracts outside the DAO. Order matters on selector clashes. */
export const standardAbis: { name: string; abi: Abi }[] = [
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
