import { renderDescription, stripHidden, type RenderedDescription } from "@ai-dao/description";
import type { DecodedCall } from "@ai-dao/protocol";
import { isAddress } from "viem";

import { describeDescription } from "../context/description.ts";
import { initializerName } from "../context/initializers.ts";
import { addressLabel, assetSymbol, formatAssetAmount, POWER_VERBS } from "../units.ts";
import { UNLIMITED } from "./treasury-approvals.ts";
import { daoRole, isTreasury, type AnalysisContext, type Finding, type ProposalCheck } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

/** A description with fewer words than this (markup, the proposer suffix and hidden text removed) explains nothing. */
export const MIN_DESCRIPTION_WORDS = 5;
/** Characters of visible text looked at when counting words (only whether there are a handful matters). */
const COUNTED_CHARACTERS = 10_000;
/** OpenZeppelin's Governor lets a description end with `#proposer=0x…` to reserve it for that proposer. */
const PROPOSER_SUFFIX = /#proposer=0x[0-9a-fA-F]{40}\s*$/;

const FUND_FUNCTIONS = new Set(["transfer", "transferFrom", "approve", "increaseAllowance", "permit", "setApprovalForAll", "safeTransferFrom", "safeBatchTransferFrom"]);
const POWER_FUNCTIONS = new Set([
  "grantRole",
  "revokeRole",
  "renounceRole",
  "transferOwnership",
  "renounceOwnership",
  "upgradeTo",
  "upgradeToAndCall",
  "upgradeAndCall",
  "changeAdmin",
  "changeProxyAdmin",
  "delegate",
]);

type ElementContent = RenderedDescription["tree"]["children"][number];

const words = new Intl.Segmenter("en", { granularity: "word" });

/** Word-like segments of `text`, counted up to `limit`: a link or a hex string counts as one word. */
export function countWords(text: string, limit = MIN_DESCRIPTION_WORDS): number {
  const clean = stripHidden(text.slice(0, COUNTED_CHARACTERS))
    .replace(/\b(?:https?|ipfs|ar):\/\/\S+/gi, " link ")
    .replace(/\b0x[0-9a-fA-F]{4,}\b/g, " hex ");
  let n = 0;
  for (const segment of words.segment(clean)) {
    if (segment.isWordLike && ++n >= limit) break;
  }
  return n;
}

function textOf(node: ElementContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}

/** Whether every block voters see is a heading (or the description is one bold line): a title with no body. */
function titleOnly(rendered: RenderedDescription): boolean {
  const blocks = rendered.tree.children.filter((n) => stripHidden(textOf(n)).trim() !== "");
  if (blocks.length === 0) return false;
  if (blocks.every((b) => b.type === "element" && /^h[1-6]$/.test(b.tagName))) return true;
  if (blocks.length !== 1) return false;
  const only = blocks[0]!;
  if (only.type !== "element" || only.tagName !== "p") return false;
  const inner = only.children.filter((n) => stripHidden(textOf(n)).trim() !== "");
  return inner.length === 1 && inner[0]!.type === "element" && ["strong", "em"].includes(inner[0]!.tagName);
}

/** What voters see of the description: the proposer suffix removed, cut at a NUL, rendered. */
export function visibleDescription(ctx: Pick<AnalysisContext, "proposal">): { rendered: RenderedDescription; visibleText: string } {
  const view = describeDescription(ctx.proposal);
  let text = view.text;
  const nul = text.indexOf("\u0000");
  if (nul !== -1) text = text.slice(0, nul);
  text = text.replace(PROPOSER_SUFFIX, "");
  if (text === view.text) return { rendered: view.rendered, visibleText: view.visibleText };
  const rendered = renderDescription(text);
  return { rendered, visibleText: rendered.visibleText };
}

/** What a call moves, in words, when it moves funds or powers (or cannot be decoded); null for a harmless call. */
function consequence(ctx: AnalysisContext, call: DecodedCall): string | null {
  const at = `(${actionLabel(call.index)})`;
  const label = addressLabel(ctx.deployment.contracts, call.target);
  const parts: string[] = [];
  if (call.value > 0n) parts.push(`sends ${formatAssetAmount(ctx.governance, "ETH", call.value)} ${at}`);
  if (call.kind !== "call") return parts[0] ?? null;
  if (!call.decoded || call.functionName === undefined) return [...parts, `makes a call the analyst cannot decode on ${label}, which may move funds or powers ${at}`].join("; ");
  const name = call.functionName;
  const args = call.args ?? [];
  const role = daoRole(ctx, call.target);
  if (name === "transfer" && typeof args[1] === "bigint") parts.push(`transfers ${formatAssetAmount(ctx.governance, call.target, args[1])} ${at}`);
  else if (name === "transferFrom" && typeof args[2] === "bigint") parts.push(`transfers ${formatAssetAmount(ctx.governance, call.target, args[2])}${isTreasury(ctx, args[0]) ? " from the treasury" : ""} ${at}`);
  else if ((name === "approve" || name === "increaseAllowance") && typeof args[1] === "bigint") {
    const spender = addressLabel(ctx.deployment.contracts, String(args[0]));
    const amount = args[1] >= UNLIMITED ? `any amount of the treasury's ${assetSymbol(ctx.governance, call.target)}` : `${formatAssetAmount(ctx.governance, call.target, args[1])} from the treasury`;
    parts.push(`lets ${spender} spend ${amount} ${at}`);
  } else if (FUND_FUNCTIONS.has(name)) parts.push(`moves or releases tokens on ${label} (${name}) ${at}`);
  else if (POWER_VERBS[call.signature ?? ""] !== undefined) {
    const account = args.find((a): a is string => typeof a === "string" && isAddress(a));
    parts.push(`${POWER_VERBS[call.signature!]}${account !== undefined ? ` ${addressLabel(ctx.deployment.contracts, account)}` : ""} on ${label} ${at}`);
  } else if (initializerName(call) !== null) parts.push(`initialises ${label} again (${name}) ${at}`);
  else if (POWER_FUNCTIONS.has(name) || role === "governor" || role === "timelock" || role === "decisionLog") parts.push(`changes ${label} (${name}) ${at}`);
  return parts.length > 0 ? parts.join("; ") : null;
}

/** What the fork simulation shows leaving the treasury or changing hands, when nothing in the calldata says so. */
function simulatedConsequences(ctx: AnalysisContext): string[] {
  const sim = ctx.simulation;
  if (sim?.status !== "simulated") return [];
  const e = sim.result.effects;
  const out: string[] = [];
  const treasury = ctx.deployment.contracts.timelock.toLowerCase();
  const eth = e.ethBalanceChanges.find((c) => c.address.toLowerCase() === treasury && c.delta < 0n);
  if (eth) out.push(`running it on a copy of the chain shows ${formatAssetAmount(ctx.governance, "ETH", -eth.delta)} leaving the treasury`);
  for (const t of e.tokenBalanceChanges) if (t.account.toLowerCase() === treasury && t.delta < 0n) out.push(`running it on a copy of the chain shows ${formatAssetAmount(ctx.governance, t.token, -t.delta)} leaving the treasury`);
  if (e.roleChanges.length > 0) out.push("running it on a copy of the chain shows roles changing");
  if (e.ownershipChanges.length > 0) out.push("running it on a copy of the chain shows ownership changing");
  if (e.proxyUpgrades.length > 0) out.push("running it on a copy of the chain shows a proxy upgraded");
  if (e.governanceChanges.length > 0) out.push("running it on a copy of the chain shows governance parameters changing");
  return out;
}

/**
 * A description that explains nothing: empty, whitespace only, only a title (a heading line, or one
 * bold line), or fewer than a handful of words once markup, the `#proposer=` suffix and hidden text
 * are removed. High when the proposal moves funds (ETH, token transfers and approvals) or powers
 * (roles, ownership, upgrades, Governor and timelock settings, initializers, calls nobody can
 * decode, or effects the fork simulation shows) — the Indexed incident; low for a harmless call.
 */
export const descriptionMissing: ProposalCheck = {
  id: "description-missing",
  check(ctx) {
    const { rendered, visibleText } = visibleDescription(ctx);
    const count = countWords(visibleText);
    let kind: "empty" | "title-only" | "too-short" | null = null;
    if (count === 0) kind = "empty";
    else if (titleOnly(rendered)) kind = "title-only";
    else if (count < MIN_DESCRIPTION_WORDS) kind = "too-short";
    if (kind === null) return [];

    const effects = [...ctx.calls.flatMap((c) => consequence(ctx, c) ?? []), ...simulatedConsequences(ctx)];
    const what = { empty: "The description is empty", "title-only": "The description is only a title", "too-short": `The description has fewer than ${MIN_DESCRIPTION_WORDS} words` }[kind];
    const evidence: Finding["evidence"] = { kind, words: count, byteLength: describeDescription(ctx.proposal).byteLength, effects: effects.slice(0, 20) };
    if (effects.length === 0) {
      return [
        {
          id: `description-missing/${kind}`,
          check: this.id,
          severity: "low",
          title: `${what}; the calls move no funds or powers`,
          detail: "Voters are asked to approve calls nobody has explained. Nothing in them moves funds or powers, but a proposal should say what it does and why.",
          evidence,
        },
      ];
    }
    const more = effects.length > 1 ? ` and ${effects.length - 1} more` : "";
    return [
      {
        id: `description-missing/${kind}`,
        check: this.id,
        severity: "high",
        title: `${what}, yet the proposal ${effects[0]}${more}`,
        detail:
          `Voters are asked to approve what they are not told: the proposal ${effects.slice(0, 10).join("; ")}${effects.length > 10 ? `; and ${effects.length - 10} more` : ""}. ` +
          "Proposals that moved funds with no real description have passed unread (the Indexed incident); a legitimate proposal says what it does and why.",
        evidence,
      },
    ];
  },
};
