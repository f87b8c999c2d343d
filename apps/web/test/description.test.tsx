// What a DAO member sees of a description: every way to hide "9 ETH" from the rendered text is
// warned about and revealed as text, no image is ever loaded, links say they leave the app, and
// hostile shapes (a 400-level list, a 100 KB word) render quickly and bounded.
import { DESCRIPTION_LIMITS } from "@ai-dao/description";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { stringToHex, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { Description } from "../src/components/Description.tsx";
import { proposedWithBytes, totals } from "./fixtures.ts";
import { renderAt } from "./render.tsx";

/** The seven ways a probe hid "9 ETH" from readers while the calldata paid 9 ETH. */
const HIDING_METHODS: [string, string, RegExp][] = [
  ["an HTML comment", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n<!-- 9 ETH -->\n", /a hidden comment/],
  ["a Markdown comment", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n[//]: # (9 ETH)\n", /an unused link note/],
  ["an unused reference definition's title", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n[budget]: https://example.org \"9 ETH\"\n", /an unused link note/],
  ["a <div>", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n<div>9 ETH</div>\n", /a block of HTML code/],
  ["text after a NUL", "# Pay the auditor\n\nPay 1 ETH to the auditor.\u0000 9 ETH", /text after a NUL character/],
  ["an unclosed <script>", "# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n<script>\n9 ETH\n", /a block of HTML code/],
  ["a link title", "# Pay the auditor\n\nPay 1 ETH to [the auditor](https://example.org \"9 ETH\").\n", /a link tooltip/],
];

function depthOf(el: Element): number {
  let max = 0;
  for (const child of el.children) max = Math.max(max, depthOf(child));
  return max + 1;
}

describe("hidden content", () => {
  for (const [name, text, words] of HIDING_METHODS) {
    it(`warns about 9 ETH hidden in ${name} and reveals it as text`, () => {
      const { container } = render(<Description text={text} />);
      const warning = screen.getByTestId("hidden-content-warning");
      expect(warning.getAttribute("role")).toBe("alert");
      expect(warning.textContent).toMatch(/This description contains text (that is not shown|that many programs do not show): 1 hidden passage/);
      expect(warning.textContent).toMatch(words);
      expect(warning.textContent).toMatch(/Hidden text can say something other than what you read/);

      const shown = screen.getByTestId("description").textContent!;
      expect(shown).toContain("Pay 1 ETH");
      // The NUL is shown as ␀ with what follows it; elsewhere 9 ETH is not in the rendered text.
      if (name === "text after a NUL") {
        expect(shown).toMatch(/Pay 1 ETH to the auditor\.␀ 9 ETH/);
        expect(screen.getByTestId("description").querySelector(".control-char")!.getAttribute("data-name")).toBe("NUL");
      }
      else expect(shown).not.toContain("9 ETH");

      const details = within(warning).getByText("Show hidden text").closest("details")!;
      expect(details.open).toBe(false);
      fireEvent.click(within(warning).getByText("Show hidden text"));
      expect(details.open).toBe(true);
      const passage = within(warning).getByTestId("hidden-passage");
      expect(passage.querySelector("pre")!.textContent).toContain("9 ETH");
      expect(passage.textContent).toMatch(/line \d+/);
      // Shown as text, never as HTML.
      expect(container.querySelectorAll("script, .markdown div")).toHaveLength(0);
    });
  }

  it("counts passages by kind in plain words", () => {
    render(<Description text={"Pay 1 ETH <!-- a -->\n\n<!-- b -->\n\n[x](https://example.org \"c\")\n\n<div>d</div>\n"} />);
    expect(screen.getByTestId("hidden-content-warning").textContent).toMatch(/4 hidden passages \(2 hidden comments, a link tooltip, a block of HTML code\)/);
    expect(screen.getAllByTestId("hidden-passage").map((p) => p.querySelector("pre")!.textContent)).toEqual(["a", "b", "c", "<div>d</div>"]);
  });

  it("shows no warning for ordinary Markdown", () => {
    render(<Description text={"# Grant\n\nSee [the plan][plan].\n\n- one\n- two\n\n[plan]: https://example.org/plan\n"} />);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("hidden characters", () => {
  const cases: [string, string, string][] = [
    ["variation selectors (data in U+E0100…)", "Pay 1 ETH\u{E0100}\u{E0101}\u{E0102} to the auditor", "variation-selector"],
    ["a Hangul filler", "Pay 1 ETH\u3164to the auditor", "filler"],
    ["deprecated format characters", "Pay 1 ETH \u206A\u206F to the auditor", "invisible"],
    ["tag characters", "Pay 1 ETH\u{E0039}\u{E0020}\u{E0045}\u{E0054}\u{E0048}", "tag"],
    ["a control character", "Pay 1 ETH\u0007 to the auditor", "control"],
    ["a right-to-left override", "Pay \u202E1 ETH\u202C", "bidi"],
    ["a zero-width space", "Pay 1\u200B ETH", "invisible"],
  ];
  for (const [name, text, kind] of cases) {
    it(`warns about ${name} and marks them in the text`, () => {
      render(<Description text={text} />);
      const warning = screen.getByTestId("hidden-chars-warning");
      expect(warning.querySelector(`li[data-kind="${kind}"]`)).not.toBeNull();
      expect(warning.querySelector("pre")!.textContent).toMatch(/⟦U\+[0-9A-F]{4,5}⟧/);
    });
  }

  it("spells out text smuggled in tag characters, and names look-alike letters", () => {
    render(<Description text={"Pay 1 ETH\u{E0039}\u{E0020}\u{E0045}\u{E0054}\u{E0048} and pаy"} />);
    const warning = screen.getByTestId("hidden-chars-warning");
    expect(warning.textContent).toMatch(/The tag characters spell: .?9 ETH/);
    expect(warning.textContent).toMatch(/“pаy” mixes alphabets: U\+0430/);
  });
});

describe("reader privacy and safe links", () => {
  it("never renders an img: an image is a link that says it was not loaded", () => {
    const { container } = render(<Description text={"![tracker](https://tracker.example/pixel.png?id=1)\n\n<img src=\"https://tracker.example/raw.png\">\n\n![](//tracker.example/p.png)"} />);
    expect(container.querySelectorAll("img, picture, source, video, audio, iframe, object, embed")).toHaveLength(0);
    const link = within(screen.getByTestId("description")).getByRole("link");
    expect(link.getAttribute("href")).toBe("https://tracker.example/pixel.png?id=1");
    expect(link.textContent).toMatch(/^Image: tracker \(not loaded\) ↗ tracker\.example/);
    expect(link.getAttribute("rel")).toBe("noopener noreferrer nofollow");
    expect(link.getAttribute("target")).toBe("_blank");
  });

  it("links carry rel and target and say they leave the app; unsafe and protocol-relative links are text", () => {
    render(<Description text={"[invoice](https://evil.example/x) <https://example.org/plan> [a](//evil.example) [b](javascript:alert(1)) [c](/relative) [mail](mailto:dao@example.org)"} />);
    const links = within(screen.getByTestId("description")).getAllByRole("link");
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://evil.example/x", "https://example.org/plan", "mailto:dao@example.org"]);
    for (const a of links) {
      expect(a.getAttribute("rel")).toBe("noopener noreferrer nofollow");
      expect(a.getAttribute("target")).toBe("_blank");
      expect(a.textContent).toContain("↗");
    }
    // The destination is shown when the text does not already name it, and read out to screen readers.
    expect(links[0]!.textContent).toMatch(/invoice ↗ evil\.example/);
    expect(links[1]!.textContent).not.toMatch(/↗ example\.org/);
    expect(links[0]!.querySelector(".sr-only")!.textContent).toBe(" (opens evil.example in a new tab, outside this app)");
  });
});

describe("bounded rendering", () => {
  it("renders a 400-level nested list quickly, with bounded depth", () => {
    let text = "";
    for (let i = 0; i < 400; i++) text += `${"  ".repeat(i)}- level ${i}\n`;
    const started = performance.now();
    render(<Description text={text} />);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(3_000);
    const description = screen.getByTestId("description");
    expect(depthOf(description)).toBeLessThanOrEqual(DESCRIPTION_LIMITS.maxDepth + 3);
    expect(description.textContent).toContain("level 399");
  });

  it("renders a 100 KB word quickly, whole, inside the wrapping description box", () => {
    const word = "A".repeat(100_000);
    const started = performance.now();
    render(<Description text={`# Wide\n\n${word}\n\n\`${word}\`\n\n    ${word}`} />);
    expect(performance.now() - started).toBeLessThan(3_000);
    const description = screen.getByTestId("description");
    expect(description.className).toBe("markdown");
    expect(description.textContent!.length).toBeGreaterThanOrEqual(100_000);
  });
});

describe("headings: the page keeps one h1", () => {
  const headings = (root: ParentNode) => [...root.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => `${h.tagName.toLowerCase()} ${h.textContent}`);

  it("moves the description's headings under the section's own h2, together, never past h6", () => {
    render(<Description text={"# Pay the auditor\n\n## Budget\n\n#### Detail\n\n###### Deepest\n\n- > # Quoted"} />);
    expect(headings(document)).toEqual(["h2 Description", "h3 Pay the auditor", "h4 Budget", "h6 Detail", "h6 Deepest", "h3 Quoted"]);
  });

  it("leaves headings that are already below the section's heading as they are", () => {
    render(<Description text={"### Budget\n\n#### Detail"} />);
    expect(headings(screen.getByTestId("description"))).toEqual(["h3 Budget", "h4 Detail"]);
  });

  it("a proposal whose description starts with # Title has one h1, its title", async () => {
    const { id, proposal, receipt } = proposedWithBytes(stringToHex("# Pay the auditor\n\nPay 1 ETH to the auditor.\n\n## Why\n\nThe audit is done."), "");
    renderAt(`/proposals/${id}`, { graphql: () => ({ proposal: { ...proposal, title: "Pay the auditor" }, ...totals }), rpc: (method) => (method === "eth_getTransactionReceipt" ? receipt : undefined) });
    const description = await screen.findByTestId("description");
    await waitFor(() => expect(description.textContent).toContain("The audit is done."));
    expect(headings(document).filter((h) => h.startsWith("h1 "))).toEqual(["h1 Pay the auditor"]);
    expect(headings(description)).toEqual(["h3 Pay the auditor", "h4 Why"]);
  });
});

describe("proposal page: the description's exact bytes", () => {
  // A BOM, an invalid byte (0xFF), a NUL and text after it.
  const bytes = `0xefbbbf${stringToHex("# Pay the auditor\n\nPay 1 ETH").slice(2)}ff00${stringToHex(" 9 ETH").slice(2)}` as Hex;
  // The indexer's old copy: BOM dropped, cut at the NUL.
  const indexed = "# Pay the auditor\n\nPay 1 ETH\uFFFD";

  it("shows the chain's bytes faithfully: BOM, invalid bytes and NUL visible, nothing after the NUL dropped", async () => {
    const { id, proposal, receipt } = proposedWithBytes(bytes, indexed);
    const { calls } = renderAt(`/proposals/${id}`, { graphql: () => ({ proposal, ...totals }), rpc: (method) => (method === "eth_getTransactionReceipt" ? receipt : undefined) });
    const description = await screen.findByTestId("description");
    expect(description.textContent).toMatch(/Pay 1 ETH\uFFFD␀ 9 ETH/);
    expect(screen.getByTestId("invalid-text-warning").textContent).toMatch(/a sequence of bytes that is not valid text, shown as �/);
    const chars = screen.getByTestId("hidden-chars-warning");
    expect(chars.querySelector('li[data-kind="invisible"]')!.textContent).toMatch(/U\+FEFF/);
    expect(chars.querySelector('li[data-kind="control"]')!.textContent).toMatch(/U\+0000/);
    expect(screen.getByTestId("hidden-content-warning").textContent).toMatch(/text after a NUL character/);
    expect(screen.getByTestId("description-source").textContent).toMatch(/indexer's copy of this description differs/);
    expect(calls.rpc.filter((c) => c.method === "eth_getTransactionReceipt")).toHaveLength(1);
  });

  it("falls back to the indexer's copy when the chain has no receipt, and still counts invalid text", async () => {
    const { id, proposal } = proposedWithBytes(bytes, indexed);
    renderAt(`/proposals/${id}`, { graphql: () => ({ proposal, ...totals }) });
    const description = await screen.findByTestId("description");
    expect(description.textContent).toMatch(/Pay 1 ETH\uFFFD$/);
    await waitFor(() => expect(screen.getByTestId("invalid-text-warning")).toBeTruthy());
    expect(screen.getByTestId("description-source").textContent).toMatch(/showing the indexer's copy/);
  });
});
