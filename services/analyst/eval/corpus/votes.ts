// Scenarios that move votes before the analysis: borrowed or freshly bought tokens. Each returns the
// tokens in `after` and lets the moves age past the recent-votes window, so the scenarios after it
// see the distribution of the setup.
import { getAddress, parseEther } from "viem";

import { Support } from "@ai-dao/protocol";
import { propose, startVoting } from "@ai-dao/testkit";
import { addresses, call, DEMO, enc, freshWallet, moveVotes, proposal, settle, TREASURY_DEMO, type Scenario } from "./helpers.ts";

/** The TrueFi scenario's buyers, each funded with this much DEMO just before the snapshot. */
const BOUGHT = 30_000n * DEMO;

export const votes: Scenario[] = [
  {
    // Moves bob's tokens to the proposer; `after` returns them and lets the move age past the window.
    name: "flash-acquired voting power before proposing",
    kind: "malicious",
    family: "vote-manipulation",
    pattern: "Beanstalk: votes borrowed just before proposing",
    source: "https://dnzn.dev/events/beanstalk-governance-attack",
    expect: ["recent-voting-power/acquired:critical"],
    async build(chain) {
      const { attacker } = addresses(chain);
      const { bob, outsider } = chain.dao.accounts;
      await chain.dao.token.write.transfer([attacker, 150_000n * DEMO], { account: bob.account });
      await chain.dao.token.write.delegate([attacker], { account: outsider.account });
      await chain.connection.networkHelpers.mine();
      return { proposal: proposal([call(attacker, "0x", parseEther("3"))], "Fund the research collective with 3 ETH."), proposer: attacker };
    },
    async after(chain) {
      const { outsider, bob } = chain.dao.accounts;
      await moveVotes(chain, outsider, getAddress(bob.account.address), 150_000n * DEMO);
      await settle(chain);
    },
  },
  {
    name: "borrowed votes behind a donation that drains the treasury",
    kind: "malicious",
    family: "vote-manipulation",
    pattern: "Beanstalk BIP-18: a proposal presented as a donation to Ukraine, carried by flash-borrowed votes, that sent the treasury to the attacker",
    source: "https://dnzn.dev/events/beanstalk-governance-attack",
    expect: ["recent-voting-power/acquired:critical", "treasury-outflow/recipient:critical"],
    async build(chain) {
      const { token } = addresses(chain);
      const borrower = await freshWallet(chain, 14);
      const attacker = getAddress(borrower.account.address);
      const donation = getAddress((await freshWallet(chain, 15)).account.address);
      await moveVotes(chain, chain.dao.accounts.alice, attacker, 250_000n * DEMO);
      await chain.dao.token.write.delegate([attacker], { account: borrower.account });
      await chain.connection.networkHelpers.mine();
      return {
        proposal: proposal(
          [call(donation, "0x", parseEther("1")), call(token, enc("transfer", [attacker, TREASURY_DEMO])), call(attacker, "0x", parseEther("80"))],
          `# BIP-18: Donation to Ukraine\n\nDonates 1 ETH from the treasury to the Ukraine relief wallet ${donation}. Proposed for emergency execution so that the donation arrives this week.`,
        ),
        proposer: attacker,
      };
    },
    async after(chain) {
      const borrower = await freshWallet(chain, 14);
      await moveVotes(chain, borrower, getAddress(chain.dao.accounts.alice.account.address), 250_000n * DEMO);
      await settle(chain);
    },
  },
  {
    name: "fresh wallets funded before the snapshot vote a payout through",
    kind: "malicious",
    family: "vote-manipulation",
    pattern: "TrueFi 2024: wallets created within hours of each other, funded from one source just before the vote, carried a proposal paying the proposer's team",
    source: "https://forum.truefi.io/t/malicious-governance-attack-a-call-to-action-to-stop-the-attack-opine-in-the-next-42-hours/1746",
    expect: ["recent-voting-power/acquired"],
    async build(chain) {
      const { token } = addresses(chain);
      const proposerWallet = await freshWallet(chain, 10);
      const team = getAddress(proposerWallet.account.address);
      const buyers = [await freshWallet(chain, 11), await freshWallet(chain, 12), await freshWallet(chain, 13)];
      // The proposer clears the proposal threshold; the buyers are funded from one holder, all just before the snapshot.
      await moveVotes(chain, chain.dao.accounts.erin, team, 2_000n * DEMO);
      await chain.dao.token.write.delegate([team], { account: proposerWallet.account });
      for (const buyer of buyers) {
        await moveVotes(chain, chain.dao.accounts.carol, buyer.account.address, BOUGHT);
        await chain.dao.token.write.delegate([buyer.account.address], { account: buyer.account });
      }
      await chain.connection.networkHelpers.mine();
      const input = proposal(
        [call(token, enc("transfer", [team, 40_000n * DEMO]))],
        `# Proposal for Tech Infusion, Support, and Expansion of DEMO Products\n\nPays 40,000 DEMO to the Teragon team (${team}) for six months of product work: structured vaults, a new front end and integrations.`,
      );
      const proposalId = await propose(chain.dao, team, input as Parameters<typeof propose>[2]);
      await startVoting(chain.dao, chain.connection, proposalId);
      for (const buyer of buyers) await chain.dao.governor.write.castVote([proposalId, Support.For], { account: buyer.account });
      return { proposal: input, proposer: team };
    },
    async after(chain) {
      const carol = getAddress(chain.dao.accounts.carol.account.address);
      for (const index of [11, 12, 13]) await moveVotes(chain, await freshWallet(chain, index), carol, BOUGHT);
      await moveVotes(chain, await freshWallet(chain, 10), getAddress(chain.dao.accounts.erin.account.address), 2_000n * DEMO);
      await settle(chain);
    },
  },
];
