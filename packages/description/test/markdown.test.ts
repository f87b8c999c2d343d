import type { Element, ElementContent, Root } from "hast";
import { describe, expect, it } from "vitest";

import { DESCRIPTION_LIMITS, renderDescription, safeHref } from "../src/index.ts";

/** The seven ways a probe hid "9 ETH" from readers while the calldata paid 9 ETH. */
export const HIDING_METHODS: [string, string][] = [
  ["an HTML comment", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n<!-- 9 ETH -->\n"],
  ["a Markdown comment", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n[//]: # (9 ETH)\n"],
  ["an unused reference definition's title", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n[budget]: https://example.org \"9 ETH\"\n"],
  ["a <div>", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n<div>9 ETH</div>\n"],
  ["text after a NUL", "# Pay the auditor\n\nPay 1 ETH to the auditor.\u0000 9 ETH"],
  ["an unclosed <script>", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n<script>\n9 ETH\n"],
  ["a link title", "# Pay the auditor\n\nPay 1 ETH to [the auditor](https://example.org \"9 ETH\").\n"],
];

function elements(nodes: (ElementContent | Root)[], out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (n.type === "element") out.push(n);
    if ("children" in n) elements(n.children as ElementContent[], out);
  }
  return out;
}

describe("renderDescription: hidden content", () => {
  for (const [name, description] of HIDING_METHODS) {
    it(`finds 9 ETH hidden in ${name}, and shows only what a reader sees`, () => {
      const r = renderDescription(description);
      expect(r.hidden.map((h) => h.text).join(" ")).toContain("9 ETH");
      expect(r.visibleText).toContain("Pay 1 ETH");
      expect(r.visibleText).not.toContain("9 ETH");
    });
  }

  it("shows a NUL as ␀ and keeps what follows it in the tree, but judges only what precedes it", () => {
    const r = renderDescription("Pay 1 ETH\u0000 and 9 ETH");
    expect(r.tree.children.map((c) => (c.type === "element" && c.children[0]?.type === "text" ? c.children[0].value : ""))).toEqual(["Pay 1 ETH␀ and 9 ETH"]);
    expect(r.visibleText).toBe("Pay 1 ETH");
    expect(r.hiddenCharacters.map((h) => h.kind)).toEqual(["control"]);
  });

  it("does not flag ordinary Markdown", () => {
    const r = renderDescription("# Grant\n\nSee [the plan][plan] and <https://example.org>.\n\n- one\n- two\n\n[plan]: https://example.org/plan\n");
    expect(r.hidden).toEqual([]);
    expect(r.hiddenCharacters).toEqual([]);
  });

  it("reports hidden characters HTML entities produce", () => {
    const r = renderDescription("Pay&#8203; 1 ETH");
    expect(r.hiddenCharacters.map((h) => h.codePoint)).toEqual(["U+200B"]);
  });
});

describe("renderDescription: protects readers", () => {
  it("never loads an image: it becomes a link that opens in a new tab", () => {
    const r = renderDescription("![tracker](https://tracker.example/pixel.png?id=1)");
    const els = elements(r.tree.children as ElementContent[]);
    expect(els.some((e) => e.tagName === "img")).toBe(false);
    const a = els.find((e) => e.tagName === "a")!;
    expect(a.properties.href).toBe("https://tracker.example/pixel.png?id=1");
    expect(a.properties.rel).toEqual(["noopener", "noreferrer", "nofollow"]);
    expect(r.visibleText).toBe("Image: tracker");
  });

  it("keeps only http(s) and mailto links, with rel and target", () => {
    for (const bad of ["javascript:alert(1)", "//evil.example/x", "/relative", "data:text/html,x", "JaVaScRiPt:alert(1)", "https:/\\evil.example"]) {
      const els = elements(renderDescription(`[x](${bad})`).tree.children as ElementContent[]);
      expect(els.find((e) => e.tagName === "a"), bad).toBeUndefined();
    }
    const a = elements(renderDescription("[x](https://example.org/a)").tree.children as ElementContent[]).find((e) => e.tagName === "a")!;
    expect(a.properties).toMatchObject({ href: "https://example.org/a", target: "_blank", rel: ["noopener", "noreferrer", "nofollow"] });
    expect(safeHref("mailto:dao@example.org")).toBe("mailto:dao@example.org");
  });

  it("drops raw HTML from the tree", () => {
    const els = elements(renderDescription('<img src="https://t.example/p.png" onerror="alert(1)">\n\nhi <b onclick="x()">there</b>').tree.children as ElementContent[]);
    expect(els.map((e) => e.tagName)).toEqual(["p"]);
  });

  it("parses a 400-level nested list quickly and bounds the rendered depth", () => {
    let source = "";
    for (let i = 0; i < 400; i++) source += `${"  ".repeat(i)}- level ${i}\n`;
    const started = performance.now();
    const r = renderDescription(source);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(5_000); // unbounded, this took tens of seconds in a browser tab
    expect(r.limited.indentClamped).toBe(true);
    const depth = (nodes: ElementContent[], d = 0): number => Math.max(d, ...nodes.map((n) => (n.type === "element" ? depth(n.children, d + 1) : d)));
    expect(depth(r.tree.children as ElementContent[])).toBeLessThanOrEqual(DESCRIPTION_LIMITS.maxDepth + 1);
    expect(r.visibleText).toContain("level 399");
  });

  it("shows a description past the Markdown limit as plain text, none of it lost", () => {
    const source = `${"word ".repeat(25_000)}\n\n**end**`;
    const r = renderDescription(source);
    expect(r.limited.plainTail).toBe(true);
    expect(r.visibleText).toContain("**end**");
  });
});
