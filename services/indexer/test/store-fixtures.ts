// What the store-level tests share: an identity for stores not tied to a chain, made-up accounts
// and block pointers, a block of changes written as the indexer writes one, and the real
// subgraph's schema with a temporary directory for a describe block.
import { rm } from "node:fs/promises";

import { afterAll, beforeAll } from "vitest";

import type { EntityData } from "../src/runtime/values.ts";
import type { EntityStore, StoreIdentity } from "../src/store/store.ts";
import { type Subgraph, loadSubgraph } from "../src/subgraph.ts";
import { tempDir } from "./helpers.ts";

export const TEST_IDENTITY: StoreIdentity = { chainId: 31337, genesisHash: `0x${"00".repeat(32)}`, dataSources: {}, deployment: "test" };

/** The address of made-up account `i`. */
export const account = (i: number) => `0x${i.toString(16).padStart(40, "0")}`;

/** A made-up block `n` whose parent is block `n - 1`. */
export const blockPtr = (n: number) => ({
  number: n,
  hash: `0x${n.toString(16).padStart(64, "0")}` as const,
  parentHash: `0x${(n - 1).toString(16).padStart(64, "0")}` as const,
  timestamp: n,
});

/** Writes block `block`'s changes (entity type → id → data, or null to remove) and moves the cursor to it. */
export function writeBlock(store: EntityStore, block: number, changes: Record<string, [string, EntityData | null][]>): void {
  store.transaction(() => {
    store.writeChanges(block, new Map(Object.entries(changes).map(([type, list]) => [type, new Map(list)])));
    store.setCursor(blockPtr(block));
  });
}

/** The subgraph built in `buildDir` and a temporary directory, set before the block's tests and removed after them. */
export function subgraphAndTempDir(buildDir: string, prefix: string): { subgraph: Subgraph; dir: string } {
  const shared = {} as { subgraph: Subgraph; dir: string };
  beforeAll(async () => {
    shared.subgraph = await loadSubgraph(buildDir);
    shared.dir = await tempDir(prefix);
  });
  afterAll(async () => {
    if (shared.dir) await rm(shared.dir, { recursive: true, force: true });
  });
  return shared;
}
