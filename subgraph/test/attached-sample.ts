// The flavours the subgraph's chain tests deploy; the sample deployment file of each is the testkit's.
import type { GovernorFlavour } from "@ai-dao/deployment";

export { sampleAttachedDeployment } from "@ai-dao/testkit/deployment";

/** The flavours the chain tests deploy and index (Bravo has no installable artifacts to deploy). */
export const TESTED_FLAVOURS = ["openzeppelin-4", "openzeppelin-5", "compound-alpha"] as const satisfies readonly GovernorFlavour[];

