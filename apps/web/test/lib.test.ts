import { deflateRawSync } from "node:zlib";

import { governorAbi } from "@ai-dao/protocol";
import { decodeFunctionData, encodeFunctionData, erc20Abi, getAddress, parseAbi, toHex } from "viem";
import { describe, expect, it } from "vitest";

import { BuildError, buildProposal, withProposerSuffix } from "../src/lib/builder.ts";
import { decodeAction } from "../src/lib/decode.ts";
import { decisionsToCsv, decisionsToJson } from "../src/lib/export.ts";
import { formatAmount } from "../src/lib/format.ts";
import { destinationOf } from "../src/components/Markdown.tsx";
import { countReplacementCharacters, tagText } from "../src/lib/description.ts";
import { config, erin } from "./fixtures.ts";

describe("description helpers", () => {
  it("spells out text smuggled in tag characters, but not an emoji flag's tags", () => {
    const smuggle = (t: string) => [...t].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join("");
    expect(tagText(`Pay 1 ETH${smuggle("send 9 ETH")}`)).toEqual(["send 9 ETH"]);
    expect(tagText("Scotland \u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}")).toEqual([]);
  });

  it("counts U+FFFD and names a link's destination", () => {
    expect(countReplacementCharacters("a\uFFFDb\uFFFD")).toBe(2);
    expect(destinationOf("https://tracker.example:8443/p.png?id=1")).toBe("tracker.example:8443");
    expect(destinationOf("mailto:dao@example.org")).toBe("dao@example.org");
  });
});

describe("proposal builder", () => {
  it("builds ETH, token and signature calls, and adds the #proposer= suffix once", () => {
    const proposer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const p = buildProposal(
      [
        { kind: "eth", to: erin, amount: "0.25" },
        { kind: "token", token: "", to: erin, amount: "1000" },
        { kind: "call", target: config.contracts.governor, abiOrSignature: "setVotingPeriod(uint32 newVotingPeriod)", functionName: "", args: "600", value: "" },
      ],
      "# Three things",
      proposer,
      config,
    );
    expect(p.values).toEqual([250000000000000000n, 0n, 0n]);
    expect(p.targets[1]).toBe(config.contracts.token);
    expect(decodeFunctionData({ abi: erc20Abi, data: p.calldatas[1]! }).args).toEqual([expect.stringMatching(/^0x9965/i), 1000n * 10n ** 18n]);
    expect(decodeFunctionData({ abi: parseAbi(["function setVotingPeriod(uint32)"]), data: p.calldatas[2]! }).args).toEqual([600]);
    expect(p.description).toBe(`# Three things\n\n#proposer=${proposer}`);
    expect(withProposerSuffix(p.description, proposer)).toBe(p.description);
  });

  it("names the action and field that is wrong", () => {
    expect(() => buildProposal([{ kind: "eth", to: "0x123", amount: "1" }], "# x", null, config)).toThrow(BuildError);
    expect(() => buildProposal([{ kind: "eth", to: erin, amount: "1" }, { kind: "call", target: erin, abiOrSignature: "f(uint256)", functionName: "", args: "1,2", value: "" }], "# x", null, config)).toThrow(
      /action 2: f takes 1 argument\(s\), got 2/,
    );
  });
});

describe("decoding and formatting", () => {
  it("formats base units exactly", () => {
    expect(formatAmount(1234567890000000000000000n)).toBe("1,234,567.89");
    expect(formatAmount(1n)).toBe("< 0.0001");
    expect(formatAmount(1n, 18, 18)).toBe("0.000000000000000001");
  });

  it("shows the analyst's decoding: names, token units, the standards elsewhere, data after the arguments", () => {
    const transfer = encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [erin, 1500n * 10n ** 18n] });
    const own = decodeAction({ index: 0, target: config.contracts.token, value: "0", calldata: transfer }, config);
    expect(own).toMatchObject({ kind: "call", functionName: "transfer", targetName: `${config.token.symbol} token`, signature: "transfer(address,uint256)" });
    expect(own.args.map((a) => [a.name, a.display ?? a.value])).toEqual([
      ["to", getAddress(erin)],
      ["value", `1,500 ${config.token.symbol}`],
    ]);
    expect(own.trailingBytes).toBeUndefined();
    const smuggled = decodeAction({ index: 1, target: erin, value: "0", calldata: `${transfer}00000000000000000000000000000000000000000000000000000000000000ff` }, config);
    expect(smuggled).toMatchObject({ kind: "call", functionName: "transfer", targetName: null, trailingBytes: 32 });
    expect(smuggled.args[1]).toMatchObject({ name: "amount", value: String(1500n * 10n ** 18n) });
    expect(smuggled.args[1]!.display).toBeUndefined();
    const setPeriod = encodeFunctionData({ abi: governorAbi, functionName: "setVotingPeriod", args: [600] });
    expect(decodeAction({ index: 2, target: config.contracts.governor, value: "0", calldata: setPeriod }, config).args).toEqual([{ name: "newVotingPeriod", type: "uint32", value: "600" }]);
    expect(decodeAction({ index: 3, target: erin, value: "0", calldata: setPeriod }, config).kind).toBe("unknown-call");
    expect(decodeAction({ index: 4, target: erin, value: "0", calldata: "0x" }, config).kind).toBe("empty");
  });

  it("decodes the well-known initializers on any contract, as the analyst does", () => {
    const init = encodeFunctionData({ abi: parseAbi(["function initialize(address owner)"]), functionName: "initialize", args: [erin] });
    expect(decodeAction({ index: 0, target: erin, value: "0", calldata: init }, config)).toMatchObject({ kind: "call", functionName: "initialize", signature: "initialize(address)" });
  });

  it("names unknown selectors as undecoded", () => {
    const action = decodeAction({ index: 0, target: erin, value: "0", calldata: "0xdeadbeef" }, config);
    expect(action).toMatchObject({ kind: "unknown-call", targetName: null });
  });

  it("exports CSV with quoting and no formula injection", () => {
    const csv = decisionsToCsv([
      { id: "0", decisionId: "0", proposalId: "1", proposal: null, kind: "ANALYSIS", actor: { id: "0xabc" }, risk: 5, riskFloor: 5, recommendation: "FOR", reportHash: "0x01", report: "0x7b7d", summary: '=HYPERLINK("x"), "quoted"', timestamp: "1", block: "2", tx: "0x03" },
    ]);
    expect(csv.split("\r\n")[1]).toBe(`0,1,ANALYSIS,0xabc,,5,5,FOR,0x01,1970-01-01T00:00:01Z,2,0x03,"'=HYPERLINK(""x""), ""quoted"""`);
  });

  it("exports a compressed report's summary, risk floor and text from its bytes (the indexer has none)", () => {
    const report = { schemaVersion: 1, summary: "Pays dave.", findings: [], riskFloor: 7, scores: { risk: 9 }, recommendation: "for" };
    const row = { id: "0", decisionId: "0", proposalId: "1", proposal: null, kind: "ANALYSIS", actor: { id: "0xabc" }, risk: 9, riskFloor: null, recommendation: "FOR", reportHash: "0x01", encoding: "DEFLATE_RAW", report: toHex(deflateRawSync(JSON.stringify(report))), summary: null, timestamp: "1", block: "2", tx: "0x03" } as const;
    expect(decisionsToCsv([row]).split("\r\n")[1]).toBe("0,1,ANALYSIS,0xabc,,9,7,FOR,0x01,1970-01-01T00:00:01Z,2,0x03,Pays dave.");
    expect(JSON.parse(decisionsToJson([row]))[0].reportText).toBe(JSON.stringify(report));
    // Bytes that do not inflate: no summary, and the bytes themselves as the text.
    const corrupt = { ...row, report: "0x07" };
    expect(decisionsToCsv([corrupt]).split("\r\n")[1]).toBe("0,1,ANALYSIS,0xabc,,9,,FOR,0x01,1970-01-01T00:00:01Z,2,0x03,");
    expect(JSON.parse(decisionsToJson([corrupt]))[0].reportText).toBe("0x07");
  });
});
