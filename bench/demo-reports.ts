/**
 * Writes the demo's analyses to bench/demo-reports/: the DAO deployed as `npm start` deploys it,
 * the demo seed (`scripts/demo/seed.ts`: five proposals), and the analyst's deterministic analysis
 * of each proposal (no model; fork-simulated), found by the analyst's own watcher as it finds them
 * when the platform runs. One file per proposal, `<key>.json`, holding the canonical JSON the
 * analyst publishes. `bench/gas.ts` publishes them. The reports are the same on every run but for
 * the timestamps (the in-process chain starts at the wall clock). Regenerate after the report
 * format changes:
 *
 *   npx hardhat run bench/demo-reports.ts
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";

import { canonicalJson } from "@ai-dao/reports";
import { createLogger } from "@ai-dao/service-kit";
import { deployLocalDAO, serveRpc } from "@ai-dao/testkit";
import { createMetrics } from "../services/analyst/src/server/metrics.ts";
import { runAnalysis, type AnalystService } from "../services/analyst/src/server/service.ts";
import { ProposalWatcher } from "../services/analyst/src/watch/watcher.ts";
import { seedDemo } from "../scripts/demo/seed.ts";

const connection = await network.create();
const dao = await deployLocalDAO(connection);
const rpc = await serveRpc(connection.provider as never);
const logger = createLogger({ name: "demo-reports", level: "silent" });
const seed = await seedDemo(rpc.url, dao.deployment);

const service: AnalystService = {
  client: dao.publicClient as never,
  deployment: dao.deployment,
  judge: undefined,
  publisher: undefined,
  logger,
  metrics: createMetrics(),
  forkUrl: rpc.url,
};
const dataDir = await mkdtemp(path.join(tmpdir(), "demo-reports-"));
const reports = new Map<bigint, string>();
const watcher = new ProposalWatcher({
  client: dao.publicClient as never,
  governor: dao.deployment.contracts.governor,
  chainId: dao.deployment.chainId,
  startBlock: BigInt(dao.deployment.startBlock),
  dataDir,
  logger,
  handle: async ({ trigger, proposalId, proposal, proposer }) => {
    if (trigger !== "created") return;
    reports.set(proposalId, canonicalJson(await runAnalysis(service, proposal, "created", proposer, proposalId)));
  },
});
await watcher.tick();

const outDir = path.join(import.meta.dirname, "demo-reports");
await mkdir(outDir, { recursive: true });
for (const p of seed.proposals) {
  const json = reports.get(p.proposalId);
  if (json === undefined) throw new Error(`no analysis of the demo's ${p.key} proposal`);
  await writeFile(path.join(outDir, `${p.key}.json`), `${json}\n`);
  console.log(`${p.key}: ${Buffer.byteLength(json)} bytes, risk ${(JSON.parse(json) as { scores: { risk: number } }).scores.risk}`);
}
await rm(dataDir, { recursive: true, force: true });
await rpc.close();
await connection.close();
