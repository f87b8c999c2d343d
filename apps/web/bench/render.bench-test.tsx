// Renders the proposals list with 1,000 proposals (states computed, risk badges, tallies) and
// records the median time over several runs into dist/render-bench.json for bench/web.ts.
import { writeFileSync } from "node:fs";
import path from "node:path";

import { RouterProvider, createMemoryHistory, createRootRoute, createRouter } from "@tanstack/react-router";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { expect, it } from "vitest";

import { ProposalsList, withStates } from "../src/components/ProposalsList.tsx";
import { NOW, row, totals } from "../test/fixtures.ts";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const rows = Array.from({ length: 1000 }, (_, i) =>
  row({
    id: String(1000 + i),
    title: `Proposal number ${i}`,
    voteStart: String(NOW + BigInt((i % 3) - 1) * 100n),
    voteEnd: String(NOW + BigInt((i % 5) - 2) * 100n),
    forVotes: String(BigInt(i) * 10n ** 20n),
    againstVotes: String(BigInt(1000 - i) * 10n ** 19n),
    decisions: i % 2 ? [{ risk: i % 100, recommendation: "FOR" }] : [],
  }),
);
const quorum = (BigInt(totals.tokens[0]!.totalSupply) * 4n) / 100n;

it("renders 1,000 proposals", async () => {
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const container = document.createElement("div");
    document.body.append(container);
    const rootRoute = createRootRoute({ component: () => <ProposalsList items={withStates(rows, NOW, quorum)} now={NOW} quorum={quorum} symbol="DEMO" /> });
    const router = createRouter({ routeTree: rootRoute, history: createMemoryHistory({ initialEntries: ["/"] }) });
    await router.load();
    const root = createRoot(container);
    const start = performance.now();
    await act(async () => root.render(<RouterProvider router={router} />));
    runs.push(performance.now() - start);
    expect(container.querySelectorAll("[data-testid=proposal-row]").length).toBe(1000);
    act(() => root.unmount());
    container.remove();
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const medianMs = Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
  writeFileSync(path.resolve(import.meta.dirname, "../dist/render-bench.json"), JSON.stringify({ medianMs, runs }));
});
