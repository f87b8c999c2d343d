#!/usr/bin/env -S npx tsx
// The analyst CLI: `analyze --proposal FILE [--rpc URL] [--offline] [--deployment FILE]`.
// Prints the report as canonical JSON on stdout; errors go to stderr with a non-zero exit.
import path from "node:path";
import { parseArgs } from "node:util";

import { createPublicClient, http, type Address, type PublicClient } from "viem";

import { ConfigError, readDeployment } from "@ai-dao/deployment";
import { redactUrl, resolveDeploymentFile } from "@ai-dao/service-kit";

import { analyzeProposal } from "./analyze.ts";
import { judgeFromEnv, runDraftCommand } from "./draft/cli.ts";
import { AnalystError, errorLine, RpcUnreachableError } from "./errors.ts";
import { addressProblem, readProposalFile } from "./proposal.ts";
import { serializeReport } from "./report.ts";

const USAGE = `Usage: npm run analyst -- analyze --proposal FILE [options]
       npm run analyst -- draft --intent "..." [--proposer ADDRESS] [--propose] [--rpc URL] [--deployment FILE]

Analyses a proposal ({targets, values, calldatas, description}; or descriptionBytes, hex, instead
of description for the exact bytes of an on-chain description) against the DAO deployed on a chain,
without sending anything, and prints the report JSON (RFC 8785 canonical) on stdout.

Options:
  --proposal FILE     proposal JSON file (required)
  --rpc URL           JSON-RPC endpoint (default: $RPC_URL or http://127.0.0.1:8545)
  --deployment FILE   deployment file (default: deployments/<chainId>.json of the RPC's chain)
  --proposer ADDRESS  who proposes: adds their voting power and recent delegation changes
  --block N           analyse at this block (default: latest)
  --fork-rpc URL      JSON-RPC endpoint of the same chain to fork for the simulation
                      (default: $ANALYST_FORK_RPC_URL, else the --rpc endpoint; archive state needed
                      when analysing an old block)
  --votes-window S    seconds before the snapshot in which acquired votes count as recent
                      (default: 2 days scaled by the Governor's voting period against one week)
  --offline           no model call and no fork simulation (the report says they were skipped)
  --intent TEXT       draft: what the proposal should do, in plain language (needs ANTHROPIC_API_KEY)
  --propose           draft: submit it with the analyst key (ANALYST_PRIVATE_KEY) and publish a Draft decision
  -h, --help          show this help`;

class UsageError extends AnalystError {
  override name = "UsageError";
}

/** Relative paths are relative to where the user ran `npm run` (npm runs workspace scripts in the workspace). */
function userPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        proposal: { type: "string" },
        rpc: { type: "string" },
        deployment: { type: "string" },
        proposer: { type: "string" },
        block: { type: "string" },
        offline: { type: "boolean", default: false },
        intent: { type: "string" },
        propose: { type: "boolean", default: false },
        "fork-rpc": { type: "string" },
        "votes-window": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, ["see --help"]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = positionals[0];
  if ((command !== "analyze" && command !== "draft") || positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? "missing command" : `unknown command "${positionals.join(" ")}"`, ["the commands are: analyze, draft"]);
  }
  if (command === "draft" && (values.intent === undefined || values.intent.trim() === "")) throw new UsageError('draft: --intent "..." is required');
  if (command === "analyze" && values.proposal === undefined) throw new UsageError("--proposal FILE is required");
  const proposerProblem = values.proposer !== undefined ? addressProblem(values.proposer) : null;
  if (proposerProblem !== null) throw new UsageError(`--proposer: "${values.proposer}": ${proposerProblem}`);
  if (values.block !== undefined && !/^\d+$/.test(values.block)) throw new UsageError(`--block: "${values.block}" is not a block number`);

  if (values["votes-window"] !== undefined && !/^\d+$/.test(values["votes-window"])) throw new UsageError(`--votes-window: "${values["votes-window"]}" is not a number of seconds`);

  const proposal = command === "analyze" ? await readProposalFile(userPath(values.proposal!)) : undefined;

  const rpc = values.rpc ?? (process.env.RPC_URL || "http://127.0.0.1:8545");
  const client = createPublicClient({ transport: http(rpc, { retryCount: 0, timeout: 10_000 }) }) as PublicClient;
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (error) {
    throw new RpcUnreachableError(`cannot reach the RPC at ${redactUrl(rpc)}`, [
      (error as { shortMessage?: string }).shortMessage ?? (error as Error).message.split("\n")[0]!,
      "start a node (`npx hardhat node`) or pass --rpc URL",
    ]);
  }

  const deploymentFile = resolveDeploymentFile(values.deployment !== undefined ? userPath(values.deployment) : undefined, chainId);
  const deployment = await readDeployment(deploymentFile);

  if (command === "draft") {
    process.stdout.write(`${await runDraftCommand({ intent: values.intent!, proposer: values.proposer, propose: values.propose, rpc, client, deployment })}\n`);
    return 0;
  }

  const report = await analyzeProposal({
    client,
    deployment,
    proposal: proposal!,
    judge: values.offline ? undefined : judgeFromEnv(),
    ...(values.proposer !== undefined ? { proposer: values.proposer as Address } : {}),
    ...(values.block !== undefined ? { blockNumber: BigInt(values.block) } : {}),
    simulate: values.offline ? { skip: "--offline" } : { forkUrl: values["fork-rpc"] ?? (process.env.ANALYST_FORK_RPC_URL || rpc) },
    ...(values["votes-window"] !== undefined ? { votesWindowSeconds: BigInt(values["votes-window"]) } : {}),
  });
  const { json, reportHash } = serializeReport(report);
  process.stdout.write(`${json}\n`);
  process.stderr.write(`reportHash ${reportHash} risk ${report.scores.risk} recommendation ${report.recommendation} mode ${report.mode}\n`);
  return 0;
}

function describe(error: unknown): string {
  if (error instanceof AnalystError) return `error: ${error.message}`;
  if (error instanceof ConfigError) return `error: ${error.message}`;
  // Anything else (an RPC error among them) in one line: viem's full message repeats the request body.
  return `error: ${errorLine(error)}`;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("/cli.ts")) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${describe(error)}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
