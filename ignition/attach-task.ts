import path from "node:path";

import { ConfigError } from "@ai-dao/deployment";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { toFunctionSelector } from "viem";

import { AttachError, attachDAO, parsePublishers, type ProposalActions } from "./attach.ts";

interface AttachTaskArguments {
  rpc: string;
  governor: string;
  publishers: string;
  decisionLog: string;
  chainId: string;
  analyst: string;
  out: string;
}

/** The RPC URL as it may be printed: scheme, host and port only (paths and queries often hold API keys). */
function shownRpc(rpc: string): string {
  try {
    const url = new URL(rpc);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "(the --rpc value)";
  }
}

function printProposal(proposal: ProposalActions): void {
  console.log(`\nFollow-up proposal (submit it to the Governor like any other):\n  ${proposal.sentence}`);
  console.log(`  targets:    ${JSON.stringify(proposal.targets)}`);
  console.log(`  values:     ${JSON.stringify(proposal.values.map(String))}`);
  if (proposal.signatures !== undefined) console.log(`  signatures: ${JSON.stringify(proposal.signatures)}`);
  console.log(`  calldatas:  ${JSON.stringify(proposal.calldatas)}`);
  console.log(`  description: ${JSON.stringify(proposal.description)}`);
}

/** `hardhat attach-dao`: see the README's "Attach to your DAO" section. */
export default async function attachTask(args: AttachTaskArguments, hre: HardhatRuntimeEnvironment): Promise<void> {
  try {
    const problems: string[] = [];
    if (args.rpc === "") problems.push("--rpc: required (the JSON-RPC URL of the chain the Governor is on)");
    else if (!/^https?:\/\//.test(args.rpc)) problems.push("--rpc: must be an http:// or https:// URL");
    if (args.governor === "") problems.push("--governor: required (the address of the DAO's Governor)");
    if (args.chainId !== "" && !/^[1-9]\d*$/.test(args.chainId)) problems.push(`--chain-id: "${args.chainId}" is not a chain id (a positive whole number)`);
    const key = process.env.DEPLOYER_PRIVATE_KEY;
    if (key !== undefined && key !== "" && !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
      problems.push("DEPLOYER_PRIVATE_KEY: is not a private key (expected 64 hex digits, optionally after 0x)");
    }
    if (problems.length > 0) throw new ConfigError("attach command", problems);

    const rpcLabel = shownRpc(args.rpc);
    const hasKey = key !== undefined && key !== "";
    const connection = await hre.network.create({
      network: "localhost",
      override: { url: args.rpc, accounts: hasKey ? [key.startsWith("0x") ? key : `0x${key}`] : "remote" },
    });
    console.log(`Reading the Governor ${args.governor} on ${rpcLabel} ...`);
    const result = await attachDAO(connection, {
      governor: args.governor,
      publishers: parsePublishers(args.publishers),
      ...(args.decisionLog === "" ? {} : { decisionLog: args.decisionLog }),
      ...(args.chainId === "" ? {} : { expectedChainId: Number(args.chainId) }),
      ...(args.analyst === "" ? {} : { analyst: args.analyst }),
      deployerSource: hasKey ? "key" : "node",
      rpcLabel,
      networkName: new URL(args.rpc).hostname,
      outDir: path.resolve(hre.config.paths.root, args.out),
    });

    const { deployment, detected } = result;
    const attached = deployment.attached!;
    const yes = Object.entries(attached.capabilities).filter(([, v]) => v).map(([k]) => k);
    const no = Object.entries(attached.capabilities).filter(([, v]) => !v).map(([k]) => k);
    const unit = attached.clockMode.includes("mode=timestamp") ? "seconds" : "blocks";
    console.log(`\nAttached to the Governor on chain ${deployment.chainId} (flavour ${attached.flavour}):`);
    console.log(`  governor     ${deployment.contracts.governor} ("${detected.governorName}")`);
    console.log(`  token        ${deployment.contracts.token} (${detected.tokenInfo.symbol})`);
    console.log(`  timelock     ${deployment.contracts.timelock} (${attached.timelockKind}, delay ${deployment.parameters.timelock.minDelay} s)`);
    console.log(`  clock        ${attached.clockMode}; counting ${attached.countingMode ?? "(none: Compound for/against[/abstain])"}`);
    console.log(
      `  voting       delay ${deployment.parameters.governor.votingDelay} ${unit}, period ${deployment.parameters.governor.votingPeriod} ${unit}, ` +
        `threshold ${deployment.parameters.governor.proposalThreshold}, quorum ${attached.quorum.votes} votes`,
    );
    console.log(`  answers      ${yes.join(", ") || "(none)"}`);
    console.log(`  lacks        ${no.join(", ") || "(none)"}`);
    if (attached.interfaces.length > 0) console.log(`  ERC-165      ${attached.interfaces.join(", ")}`);
    console.log(
      result.transaction === undefined
        ? `  decisionLog  ${deployment.contracts.decisionLog} (existing, governed by the timelock)`
        : `  decisionLog  ${deployment.contracts.decisionLog} (deployed in ${result.transaction}, governed by the timelock)`,
    );
    console.log(`  publishers   ${deployment.parameters.publishers.join(", ") || "(none)"}`);
    for (const warning of result.warnings) console.log(`\nWarning: ${warning}`);
    if (result.publisherProposal !== undefined) {
      printProposal(result.publisherProposal);
    } else if (args.analyst === "") {
      console.log(
        `\nTo let an analyst publish later, propose one call: target ${deployment.contracts.decisionLog}, value 0, ` +
          `setPublisher(<analyst address>, true) (selector ${toFunctionSelector("setPublisher(address,bool)")}), which the timelock executes.`,
      );
    }
    console.log(`\nWrote ${result.file}`);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AttachError) {
      console.error(error instanceof AttachError ? `Cannot attach: ${error.message}` : error.message);
      console.error("Nothing was sent.");
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
