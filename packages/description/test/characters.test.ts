import { describe, expect, it } from "vitest";

import { descriptionText, findConfusableWords, findHiddenCharacters, revealHidden, stripHidden } from "../src/index.ts";

describe("findHiddenCharacters", () => {
  const cases: [string, string, string][] = [
    ["zero-width space", "Pay\u200B 1 ETH", "invisible"],
    ["byte-order mark", "\uFEFFPay 1 ETH", "invisible"],
    ["bidi override", "Pay \u202E1 ETH", "bidi"],
    ["variation selector supplement", "Pay 1\u{E0100} ETH", "variation-selector"],
    ["variation selectors in a run", "Pay 😀\uFE0F\uFE0F 1 ETH", "variation-selector"],
    ["tag characters", "Pay 1 ETH\u{E0039}\u{E0020}\u{E0045}", "tag"],
    ["Hangul filler", "Pay\u3164 1 ETH", "filler"],
    ["halfwidth Hangul filler", "Pay\uFFA0 1 ETH", "filler"],
    ["deprecated format character", "Pay\u206A 1 ETH", "invisible"],
    ["inhibit symmetric swapping", "Pay\u206F 1 ETH", "invisible"],
    ["NUL", "Pay 1 ETH\u0000 9 ETH", "control"],
    ["escape", "Pay \u001b[8m9\u001b[0m ETH", "control"],
  ];
  for (const [name, text, kind] of cases) {
    it(`finds a ${name}`, () => {
      expect(findHiddenCharacters(text).map((h) => h.kind)).toContain(kind);
      expect(revealHidden(text)).toMatch(/⟦U\+[0-9A-F]{4,5}⟧/);
      expect(findHiddenCharacters(stripHidden(text))).toEqual([]);
    });
  }

  it("leaves legitimate sequences alone", () => {
    for (const text of ["❤️ thanks", "1️⃣ first", "👩‍💻 dev", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland", "नमस्‍ते", "葛󠄀城", "line\ttab\r\nnext"]) {
      expect(findHiddenCharacters(text), text).toEqual([]);
    }
  });
});

describe("findConfusableWords", () => {
  it("finds a Latin word with a Cyrillic letter", () => {
    expect(findConfusableWords("Send to the pаyment address").map((w) => w.word)).toEqual(["pаyment"]);
  });
  it("leaves Russian text alone", () => {
    expect(findConfusableWords("Оплата аудитору за работу")).toEqual([]);
  });
});

describe("descriptionText", () => {
  it("keeps a byte-order mark", () => {
    expect(descriptionText("0xefbbbf41").text).toBe("\uFEFFA");
  });
  it("shows invalid UTF-8 as U+FFFD and counts it", () => {
    expect(descriptionText(new Uint8Array([0x41, 0xff, 0x42]))).toEqual({ text: "A\uFFFDB", invalidSequences: 1 });
    expect(descriptionText("0xefbfbd").invalidSequences).toBe(0);
  });
  it("keeps a NUL and what follows", () => {
    expect(descriptionText("0x41004243").text).toBe("A\u0000BC");
  });
});
