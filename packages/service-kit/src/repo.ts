import path from "node:path";

import { deploymentPath, readDeployment, type Deployment } from "@ai-dao/deployment";

/** The repository root (packages/service-kit/src -> ../../..): every service's defaults hang off it. */
export const repoRoot = path.resolve(import.meta.dirname, "../../..");

/** Where `npm run deploy` writes deployment files: `<repo>/deployments`. */
export const deploymentsDir = path.join(repoRoot, "deployments");

/**
 * The deployment file a service reads: `DEPLOYMENT_FILE` when set (relative paths from the working
 * directory), else `<repo>/deployments/<chainId>.json` for the chain the RPC serves.
 */
export function resolveDeploymentFile(deploymentFile: string | undefined, chainId: number): string {
  return deploymentFile ? path.resolve(deploymentFile) : deploymentPath(deploymentsDir, chainId);
}

/**
 * The deployment for the chain the RPC serves, from {@link resolveDeploymentFile}; refuses a file
 * written for another chain, so a service never acts on the wrong DAO.
 */
export async function readDeploymentFor(chainId: number, deploymentFile: string | undefined): Promise<{ deployment: Deployment; file: string }> {
  const file = resolveDeploymentFile(deploymentFile, chainId);
  const deployment = await readDeployment(file);
  if (deployment.chainId !== chainId) {
    throw new Error(`DEPLOYMENT_FILE ${file} is for chain ${deployment.chainId} but RPC_URL serves chain ${chainId}`);
  }
  return { deployment, file };
}
