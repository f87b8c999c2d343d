// The corpus lives in eval/ so the tests, `npm run eval` and the benchmark share it.
import type { ProposalInput as Proposal } from "../src/proposal.ts";
import type { Chain } from "../eval/chain.ts";
import { scenario, type ScenarioInput } from "../eval/corpus.ts";

export { setupChain, TREASURY_ETH, type Chain } from "../eval/chain.ts";
export { abi, DEMO, PROPOSER_ROLE, proposal, scenario, scenarios, TREASURY_DEMO } from "../eval/corpus.ts";

/** Builds the named corpus scenario on `chain`. */
export function build(chain: Chain, name: string): Promise<ScenarioInput> {
  return scenario(name).build(chain);
}

/** Builds the named scenario and returns its proposal only. */
export async function proposalOf(chain: Chain, name: string): Promise<Proposal> {
  return (await build(chain, name)).proposal;
}
