// A proposal's description as this app shows it: the exact bytes the Governor emitted (read from the
// ProposalCreated log of the proposal's transaction), decoded faithfully, and the words the warnings
// use for what the shared pipeline (@ai-dao/description) finds.
import { descriptionText, type HiddenCharacterKind, type HiddenContentKind } from "@ai-dao/description";
import { decodeProposalCreated, proposalCreatedEvent } from "@ai-dao/protocol";
import { useQuery } from "@tanstack/react-query";
import { toEventSelector, type Hex, type PublicClient } from "viem";

import type { ProposalDetail } from "./queries.ts";
import { useServices } from "./services.tsx";

export interface ProposalDescription {
  /** The text to render. */
  text: string;
  /** Invalid UTF-8 sequences (each shown as U+FFFD). */
  invalidSequences: number;
  /** Where the text came from: the chain's bytes, or the indexer's decoded copy when the chain could not be read. */
  source: "chain" | "indexer";
  /** The chain's bytes decode to other text than the indexer's copy (the indexer lost or changed some of it). */
  differsFromIndexer: boolean;
}

const proposalCreatedTopic = toEventSelector(proposalCreatedEvent);

/** The description's exact bytes from the ProposalCreated log in the proposal's transaction receipt. */
export async function readDescriptionBytes(client: PublicClient, governor: string, tx: Hex, proposalId: string): Promise<Hex> {
  const receipt = await client.getTransactionReceipt({ hash: tx });
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== governor.toLowerCase() || log.topics[0] !== proposalCreatedTopic) continue;
    const created = decodeProposalCreated(log);
    if (created.proposalId === BigInt(proposalId)) return created.descriptionBytes;
  }
  throw new Error(`no ProposalCreated event for proposal ${proposalId} in transaction ${tx}`);
}

/** U+FFFD in text decoded by someone else: each stands for bytes that were not valid UTF-8 (or a real U+FFFD). */
export function countReplacementCharacters(text: string): number {
  let n = 0;
  for (const c of text) if (c === "\uFFFD") n++;
  return n;
}

/**
 * The proposal's description from the chain's bytes: one `eth_getTransactionReceipt`, cached for the
 * session (a mined transaction's logs do not change). If the chain cannot be read, the indexer's
 * copy is shown and its U+FFFD counted. `undefined` while the receipt is being read.
 */
export function useProposalDescription(proposal: Pick<ProposalDetail, "id" | "description" | "createdTx">): ProposalDescription | undefined {
  const { publicClient, config } = useServices();
  const bytes = useQuery({
    queryKey: ["description-bytes", proposal.id, proposal.createdTx],
    queryFn: () => readDescriptionBytes(publicClient, config.contracts.governor, proposal.createdTx as Hex, proposal.id),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false, // viem's transport already retries failed requests
    refetchInterval: false,
    refetchOnWindowFocus: false,
  });
  if (bytes.isPending) return undefined;
  if (bytes.data === undefined) {
    return { text: proposal.description, invalidSequences: countReplacementCharacters(proposal.description), source: "indexer", differsFromIndexer: false };
  }
  const decoded = descriptionText(bytes.data);
  return { text: decoded.text, invalidSequences: decoded.invalidSequences, source: "chain", differsFromIndexer: decoded.text !== proposal.description };
}

/** Hidden content, in a DAO member's words: how to count it, what to call it, why it is hidden. */
export const hiddenContentWords: Record<HiddenContentKind, { one: string; many: string; label: string; why: string }> = {
  "html-comment": { one: "a hidden comment", many: "hidden comments", label: "Hidden comment", why: "Comments are never displayed." },
  html: { one: "a block of HTML code", many: "blocks of HTML code", label: "HTML code", why: "HTML in a description is never displayed, so it cannot run or load anything." },
  "reference-definition": { one: "an unused link note", many: "unused link notes", label: "Unused link note", why: "A link note that no link uses is never displayed." },
  title: { one: "a link tooltip", many: "link tooltips", label: "Link tooltip", why: "A tooltip is at most shown when a pointer rests on the link; this app does not show it." },
  "after-nul": { one: "text after a NUL character", many: "texts after a NUL character", label: "Text after a NUL character", why: "Shown here after the NUL mark, but many programs and wallets stop reading at a NUL and never show what follows." },
};

/** Hidden characters, in a DAO member's words: [one, several]. */
export const hiddenCharacterWords: Record<HiddenCharacterKind, { one: string; many: string }> = {
  bidi: { one: "a character that reverses or reorders how text is displayed", many: "characters that reverse or reorder how text is displayed" },
  invisible: { one: "an invisible character (a zero-width space, joiner, byte-order mark or format character)", many: "invisible characters (zero-width spaces, joiners, byte-order marks, format characters)" },
  "variation-selector": { one: "a variation selector, an invisible character that can carry hidden data", many: "variation selectors, invisible characters that can carry hidden data" },
  tag: { one: "an invisible tag character, which can spell out hidden text", many: "invisible tag characters, which can spell out hidden text" },
  filler: { one: "a blank letter that looks like a space (a filler)", many: "blank letters that look like spaces (fillers)" },
  control: { one: "a control character (shown as a small mark such as NUL)", many: "control characters (shown as small marks such as NUL)" },
};

/** What runs of tag characters (U+E0020–U+E007E) spell in ASCII: text smuggled invisibly. */
export function tagText(text: string): string[] {
  const runs: string[] = [];
  const withoutFlags = text.replace(/\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{2,6}\u{E007F}/gu, "");
  for (const m of withoutFlags.matchAll(/[\u{E0020}-\u{E007E}]+/gu)) runs.push([...m[0]].map((c) => String.fromCharCode(c.codePointAt(0)! - 0xe0000)).join(""));
  return runs;
}

/**
 * The description without OpenZeppelin's `#proposer=0x…` suffix (the Governor only accepts such a
 * description from that address), for display only: it is a machine suffix and the page already
 * says who proposed. Only an exact suffix at the very end is removed, as the Governor reads it.
 */
export function withoutProposerSuffix(text: string): string {
  return text.replace(/\s*#proposer=0x[0-9a-fA-F]{40}$/, "");
}
