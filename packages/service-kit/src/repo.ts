import path from "node:path";

import { deploymentPath } from "@ai-dao/deployment";

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
