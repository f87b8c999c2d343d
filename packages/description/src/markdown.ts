// The one Markdown pipeline for proposal descriptions. The web app renders the tree it returns and
// the analyst judges the same tree's text, so what voters see is what is judged. Everything a
// voter cannot see (raw HTML and comments, reference definitions nothing uses, link titles, text
// after a NUL) is collected as hidden content instead of being silently dropped.
import type { Element, ElementContent, Properties, Root as HastRoot, RootContent } from "hast";
import type { Nodes as MdastNodes, Root as MdastRoot } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toHast } from "mdast-util-to-hast";

import { findConfusableWords, findHiddenCharacters, type ConfusableWord, type HiddenCharacter } from "./characters.ts";

/** Bounds that keep any description cheap to parse and render, and the page its normal width. */
export const DESCRIPTION_LIMITS = {
  /** Characters parsed as Markdown; the rest is shown as plain text. */
  maxMarkdownLength: 100_000,
  /** Leading indentation kept per line, in columns (deeper nesting is what makes parsing slow). */
  maxIndent: 40,
  /** Element nesting kept in the rendered tree; deeper content is shown as plain text. */
  maxDepth: 20,
} as const;

export type HiddenContentKind =
  /** `<!-- … -->`. */
  | "html-comment"
  /** Raw HTML, which is never rendered (a `<div>`, an unclosed `<script>` and all that follows it). */
  | "html"
  /** A reference definition nothing links to, such as `[//]: # (…)`. */
  | "reference-definition"
  /** A link or image title: a tooltip at most. */
  | "title"
  /** Text after a NUL, which many programs cut off. */
  | "after-nul";

export interface HiddenContent {
  kind: HiddenContentKind;
  /** The hidden text itself. */
  text: string;
  /** 1-based line in the description, when known. */
  line: number | null;
}

export interface RenderedDescription {
  /** Safe to render: no raw HTML, no remote images (shown as links), only http(s) and mailto links, bounded depth. */
  tree: HastRoot;
  /**
   * The text every reader sees, block by block, one line each: what judging the description starts
   * from. It stops at a NUL, where many programs cut the text (the tree still shows what follows).
   */
  visibleText: string;
  /** Content in the description that the rendering does not show. */
  hidden: HiddenContent[];
  /** Hidden characters in the description, and any that HTML entities add to the rendered text. */
  hiddenCharacters: HiddenCharacter[];
  /** Words disguised with look-alike letters, in the rendered text. */
  confusables: ConfusableWord[];
  /** Which bounds applied. */
  limited: { plainTail: boolean; indentClamped: boolean; depthFlattened: boolean };
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
/** Control characters shown as their Unicode control pictures (NUL as ␀), so none disappears. */
function showControls(text: string): string {
  return text.replace(CONTROL, (c) => String.fromCharCode(c === "\u007F" ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

function clampIndent(source: string, maxIndent: number): { text: string; clamped: boolean } {
  let clamped = false;
  const text = source.replace(/^[ \t]+/gm, (lead) => {
    let columns = 0;
    for (const c of lead) columns = c === "\t" ? columns + 4 - (columns % 4) : columns + 1;
    if (columns <= maxIndent) return lead;
    clamped = true;
    return " ".repeat(maxIndent);
  });
  return { text, clamped };
}

const lineOf = (node: MdastNodes) => node.position?.start.line ?? null;

function collectHidden(tree: MdastRoot): HiddenContent[] {
  const hidden: HiddenContent[] = [];
  const used = new Set<string>();
  const definitions: Extract<MdastNodes, { type: "definition" }>[] = [];
  const walk = (node: MdastNodes) => {
    switch (node.type) {
      case "html": {
        const comment = /^\s*<!--([\s\S]*?)(-->\s*)?$/.exec(node.value);
        hidden.push(comment ? { kind: "html-comment", text: comment[1]!.trim(), line: lineOf(node) } : { kind: "html", text: node.value, line: lineOf(node) });
        break;
      }
      case "definition":
        definitions.push(node);
        break;
      case "linkReference":
      case "imageReference":
        used.add(node.identifier);
        break;
      case "link":
      case "image":
        if (node.title) hidden.push({ kind: "title", text: node.title, line: lineOf(node) });
        break;
    }
    if ("children" in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  for (const d of definitions) {
    if (!used.has(d.identifier)) hidden.push({ kind: "reference-definition", text: `[${d.label ?? d.identifier}]: ${d.url}${d.title ? ` "${d.title}"` : ""}`, line: lineOf(d) });
    else if (d.title) hidden.push({ kind: "title", text: d.title, line: lineOf(d) });
  }
  return hidden.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Absolute http(s) and mailto links, normalised; anything else (javascript:, data:, `//host`, relative paths) is not a link. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== "string") return null;
  const trimmed = href.trim();
  if (!/^(https?:\/\/[^/\\\s]|mailto:)/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const LINK_PROPS = { rel: ["noopener", "noreferrer", "nofollow"], target: "_blank", dataExternal: "true" };

function textOf(node: ElementContent | RootContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join(node.tagName === "li" || node.tagName === "p" ? "\n" : "");
  return "";
}

/** Rebuilds the tree with only what is safe and bounded. */
function sanitize(nodes: (ElementContent | RootContent)[], depth: number, limited: RenderedDescription["limited"]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type === "text") out.push({ type: "text", value: node.value });
    if (node.type !== "element") continue; // comments, doctypes and raw nodes never render
    if (depth >= DESCRIPTION_LIMITS.maxDepth) {
      limited.depthFlattened = true;
      out.push({ type: "text", value: ` ${textOf(node)} ` });
      continue;
    }
    const { title: _title, ...props } = node.properties as Properties & { title?: unknown };
    if (node.tagName === "img") {
      // Remote images are never fetched: loading one tells its host who reads the proposal.
      const href = safeHref(props.src);
      const label = `Image: ${typeof props.alt === "string" && props.alt.trim() !== "" ? props.alt : "untitled"}`;
      out.push(
        href === null
          ? { type: "element", tagName: "span", properties: { dataImage: "true" }, children: [{ type: "text", value: label }] }
          : { type: "element", tagName: "a", properties: { href, ...LINK_PROPS, dataImage: "true" }, children: [{ type: "text", value: label }] },
      );
      continue;
    }
    const children = sanitize(node.children, depth + 1, limited);
    if (node.tagName === "a") {
      const href = safeHref(props.href);
      out.push(href === null ? { type: "element", tagName: "span", properties: {}, children } : { type: "element", tagName: "a", properties: { href, ...LINK_PROPS }, children });
      continue;
    }
    out.push({ type: "element", tagName: node.tagName, properties: props, children });
  }
  return out;
}

const BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "hr", "tr", "ul", "ol"]);

function visibleTextOf(nodes: ElementContent[]): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text") out += node.value;
    else if (node.type === "element") {
      if (node.tagName === "br") out += "\n";
      const inner = visibleTextOf(node.children);
      out += BLOCKS.has(node.tagName) ? `\n${inner}\n` : inner;
    }
  }
  return out;
}

/**
 * Renders a description (text decoded faithfully from its bytes) to a safe, bounded tree and says
 * what a reader sees and what is hidden from them.
 */
export function renderDescription(description: string): RenderedDescription {
  const limited = { plainTail: false, indentClamped: false, depthFlattened: false };
  const hidden: HiddenContent[] = [];
  const nul = description.indexOf("\u0000");
  if (nul !== -1) {
    const rest = description.slice(nul + 1).replace(/\u0000/g, "").trim();
    if (rest !== "") hidden.push({ kind: "after-nul", text: rest, line: description.slice(0, nul).split("\n").length });
  }
  const { children, mdast } = renderTree(description, limited);
  hidden.push(...collectHidden(mdast));
  hidden.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const tree: HastRoot = { type: "root", children };
  const visibleText = textLines(nul === -1 ? children : renderTree(description.slice(0, nul), { ...limited }).children);

  const hiddenCharacters = findHiddenCharacters(description);
  const seen = new Set(hiddenCharacters.map((h) => h.codePoint));
  for (const h of findHiddenCharacters(visibleText)) if (!seen.has(h.codePoint)) hiddenCharacters.push({ ...h, index: -1 });
  return { tree, visibleText, hidden, hiddenCharacters, confusables: findConfusableWords(visibleText), limited };
}

/** Parses (within the bounds) and sanitises; the Markdown tree is kept for finding hidden content. */
function renderTree(description: string, limited: RenderedDescription["limited"]): { children: ElementContent[]; mdast: MdastRoot } {
  let markdown = description;
  let tail = "";
  if (markdown.length > DESCRIPTION_LIMITS.maxMarkdownLength) {
    const cut = markdown.lastIndexOf("\n", DESCRIPTION_LIMITS.maxMarkdownLength);
    const at = cut > 0 ? cut : DESCRIPTION_LIMITS.maxMarkdownLength;
    tail = markdown.slice(at);
    markdown = markdown.slice(0, at);
    limited.plainTail = true;
  }
  const clamped = clampIndent(showControls(markdown), DESCRIPTION_LIMITS.maxIndent);
  limited.indentClamped = clamped.clamped;
  const mdast = fromMarkdown(clamped.text);
  const children: ElementContent[] = sanitize((toHast(mdast) as HastRoot).children, 0, limited);
  if (tail !== "") children.push({ type: "element", tagName: "pre", properties: { dataPlainText: "true" }, children: [{ type: "text", value: showControls(tail) }] });
  return { children, mdast };
}

function textLines(children: ElementContent[]): string {
  return visibleTextOf(children)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join("\n");
}
