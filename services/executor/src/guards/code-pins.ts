import { Recommendation } from "@ai-dao/protocol";

import { comparePins, readPins, type CodePin } from "../pins.ts";
import type { Guard } from "./types.ts";

/**
 * Refuses a step when a target's code, its ERC-1967 implementation or beacon changed since the
 * proposal was created: voters approved calls to the code that was there then.
 */
export const codePins: Guard = {
  name: "code pinning",
  async check({ client, proposal }) {
    const pinned = proposal.pins as CodePin[];
    const current = await readPins(client, proposal.targets);
    const changes = comparePins(pinned, current);
    if (changes.length === 0) return null;
    return {
      decision: "refuse",
      reason: "code-drift",
      summary: `target code changed since the proposal was created: ${changes.map((c) => `${c.address} ${c.field}`).join(", ")}`,
      risk: 100,
      recommendation: Recommendation.Against,
      evidence: { pinnedAtBlock: String(proposal.createdBlock), changes, pinned, current },
      fingerprint: changes,
    };
  },
};
