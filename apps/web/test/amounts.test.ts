// Amounts for people: exact formatting at any decimals, token amounts in decoded actions in the
// token's own units (or the raw number with a note, never a guessed 18), and a builder that reports
// every problem at once, by field.
import { governorAbi } from "@ai-dao/protocol";
import { BaseError, decodeFunctionData, encodeAbiParameters, encodeErrorResult, encodeFunctionData, erc20Abi, maxUint256, parseAbi, stringToHex, type Address, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { buildProposal, fieldKey, parseAmount, readDraftingAvailable, validateProposal, type ActionDraft } from "../src/lib/builder.ts";
import { decodeAction, tokenAddressesOf } from "../src/lib/decode.ts";
import { explainError } from "../src/lib/errors.ts";
import { formatAmount, formatExactAmount } from "../src/lib/format.ts";
import { createServices } from "../src/lib/services.tsx";
import { listedTokens, readTokenMetadata, tokenLabel, type TokenMetadata } from "../src/lib/tokens.ts";
import { config, erin, mockFetch } from "./fixtures.ts";

const DUSD = "0x976EA74026E726554dB657fA54763abd0C3a0aa9" as Address;
const MYSTERY = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" as Address;
const dUSD: TokenMetadata = { address: DUSD, symbol: "dUSD", decimals: 6 };
const tokens = new Map([[DUSD.toLowerCase(), dUSD]]);
const transfer = (to: string, amount: bigint) => encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to as Address, amount] });

describe("formatAmount", () => {
  it("is exact at any decimals, groups thousands and trims trailing zeros", () => {
    expect(formatAmount(1234567n, 0)).toBe("1,234,567");
    expect(formatAmount(600_000_000_000n, 6)).toBe("600,000");
    expect(formatAmount(1_500_250_000n, 6)).toBe("1,500.25");
    expect(formatAmount(1234567890000000000000000n)).toBe("1,234,567.89");
    expect(formatAmount(10n ** 24n * 5n + 10n ** 20n, 24)).toBe("5.0001");
    expect(formatAmount(123456789012345678901234567n, 24, 24)).toBe("123.456789012345678901234567");
    expect(formatAmount(-2_500_000n, 6)).toBe("-2.5");
    expect(formatAmount(0n, 6)).toBe("0");
    expect(formatAmount("1000000", 6, 4, { symbol: "dUSD" })).toBe("1 dUSD");
  });

  it("shows max uint256 without losing a digit", () => {
    expect(formatAmount(maxUint256, 0)).toBe("115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457,584,007,913,129,639,935");
    expect(formatAmount(maxUint256, 18)).toBe("115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584");
    expect(formatExactAmount(maxUint256, 18)).toBe("115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584007913129639935");
  });

  it("says a tiny amount is tiny instead of 0", () => {
    expect(formatAmount(1n, 18)).toBe("< 0.0001");
    expect(formatAmount(1n, 24, 6, { symbol: "dUSD" })).toBe("< 0.000001 dUSD");
    expect(formatAmount(1n, 6, 0)).toBe("< 1");
    expect(formatAmount(-1n, 18)).toBe("> -0.0001");
    expect(formatExactAmount(1n, 6, { symbol: "dUSD" })).toBe("0.000001 dUSD");
  });
});

describe("decoded actions in token units", () => {
  it("shows a dUSD transfer as 600,000 dUSD, with the raw value kept", () => {
    const action = decodeAction({ index: 0, target: DUSD, value: "0", calldata: transfer(erin, 600_000_000_000n) }, config, tokens);
    expect(action.args[1]).toMatchObject({ value: "600000000000", display: "600,000 dUSD" });
    expect(action.summary).toBe("Send 600,000 dUSD from the treasury to 0x9965…A4dc");
    expect(action.targetName).toBe("dUSD token");
  });

  it("shows the raw number and says the decimals are unknown for a token that does not answer, never 18", () => {
    const calldata = transfer(erin, 600_000_000_000n);
    for (const map of [new Map(), new Map([[MYSTERY.toLowerCase(), { address: MYSTERY, symbol: null, decimals: null }]])]) {
      const action = decodeAction({ index: 0, target: MYSTERY, value: "0", calldata }, config, map);
      expect(action.args[1]!.display).toBeUndefined();
      expect(action.args[1]!.value).toBe("600000000000");
      expect(action.args[1]!.note).toMatch(/decimals are unknown/);
      expect(action.summary).toMatch(/600000000000 \(a raw number: the token's decimals are unknown\)/);
      expect(action.targetName).toBeNull();
    }
  });

  it("amounts on approve, transferFrom and increaseAllowance; Unlimited for the largest approval; names for the DAO's addresses", () => {
    const approve = decodeAction({ index: 0, target: DUSD, value: "0", calldata: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [config.contracts.governor as Address, maxUint256] }) }, config, tokens);
    expect(approve.args[1]!.display).toBe("Unlimited dUSD");
    expect(approve.args[0]!.label).toBe("Governor");
    expect(approve.summary).toBe("Allow Governor to take any amount of the treasury's dUSD, without limit");
    const from = decodeAction(
      { index: 1, target: DUSD, value: "0", calldata: encodeFunctionData({ abi: erc20Abi, functionName: "transferFrom", args: [erin as Address, config.contracts.timelock as Address, 1_500_000n] }) },
      config,
      tokens,
    );
    expect(from.args[2]!.display).toBe("1.5 dUSD");
    expect(from.args[1]!.label).toBe("Treasury (timelock)");
    const more = decodeAction(
      { index: 2, target: config.contracts.token, value: "0", calldata: encodeFunctionData({ abi: parseAbi(["function increaseAllowance(address,uint256)"]), functionName: "increaseAllowance", args: [erin as Address, 10n ** 18n] }) },
      config,
    );
    expect(more.args[1]!.display).toBe("1 DEMO");
    expect(decodeAction({ index: 3, target: config.contracts.decisionLog, value: "0", calldata: "0x" }, config).targetName).toBe("Decision log");
  });

  it("does not let another token pass for the DAO's", () => {
    const fake = { address: MYSTERY, symbol: "DEMO", decimals: 18 };
    expect(tokenLabel(fake, config)).toBe("DEMO (not the DAO's token: 0x14dC…9955)");
    const action = decodeAction({ index: 0, target: MYSTERY, value: "0", calldata: transfer(erin, 10n ** 18n) }, config, new Map([[MYSTERY.toLowerCase(), fake]]));
    expect(action.args[1]!.display).toBe("1 DEMO (not the DAO's token: 0x14dC…9955)");
  });

  it("names the analyst and the executor when the configuration lists them", () => {
    const analyst = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
    const executor = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
    const withServices = { ...config, analysts: [analyst], publishers: [analyst, executor] } as typeof config;
    const approve = (spender: string) => decodeAction({ index: 0, target: DUSD, value: "0", calldata: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender as Address, 1n] }) }, withServices, tokens);
    expect(approve(analyst).args[0]!.label).toBe("AI analyst");
    expect(approve(executor).summary).toBe("Allow Executor to take up to 0.000001 dUSD from the treasury");
  });

  it("lists the tokens whose metadata a proposal needs", () => {
    const actions = [
      { target: DUSD, value: "0", calldata: transfer(erin, 1n) },
      { target: erin, value: "1", calldata: "0x" },
      { target: config.contracts.governor, value: "0", calldata: encodeFunctionData({ abi: governorAbi, functionName: "setVotingPeriod", args: [600] }) },
    ];
    expect(tokenAddressesOf(actions, config)).toEqual([DUSD]);
  });
});

describe("reading a token from the chain", () => {
  it("takes the tokens the configuration lists", () => {
    expect(listedTokens({ ...config, treasuryAssets: [{ address: DUSD, label: "dUSD" }] })).toEqual([DUSD]);
    expect(listedTokens(config)).toEqual([]);
  });

  const selector = (data: string) => data.slice(0, 10);
  const client = (answers: Record<string, Hex | "revert">) =>
    createServices(
      config,
      mockFetch({
        rpc: (method, params) => {
          if (method !== "eth_call") return undefined;
          const answer = answers[selector((params[0] as { data: string }).data)];
          if (answer === "revert") throw new Error("reverted");
          return answer ?? "0x";
        },
      }).fetch,
    ).publicClient;

  it("reads symbol and decimals, and a bytes32 symbol", async () => {
    const stringToken = client({ "0x313ce567": encodeAbiParameters([{ type: "uint8" }], [6]), "0x95d89b41": encodeAbiParameters([{ type: "string" }], ["dUSD\u200B"]) });
    expect(await readTokenMetadata(stringToken, DUSD)).toEqual({ address: DUSD, symbol: "dUSD", decimals: 6 });
    const bytesToken = client({ "0x313ce567": encodeAbiParameters([{ type: "uint8" }], [18]), "0x95d89b41": stringToHex("MKR", { size: 32 }) });
    expect(await readTokenMetadata(bytesToken, DUSD)).toEqual({ address: DUSD, symbol: "MKR", decimals: 18 });
  });

  it("leaves decimals unknown for an address that is not a token", async () => {
    expect(await readTokenMetadata(client({}), MYSTERY)).toEqual({ address: MYSTERY, symbol: null, decimals: null });
  });
});

describe("builder validation", () => {
  it("returns every problem at once, keyed by field", () => {
    const actions: ActionDraft[] = [
      { kind: "eth", to: "0x123", amount: "abc" },
      { kind: "token", token: "", to: erin, amount: "0" },
      { kind: "token", token: DUSD, to: "", amount: "1.1234567" },
      { kind: "call", target: "nope", abiOrSignature: "f(uint256)", functionName: "", args: "1,2", value: "x" },
    ];
    const v = validateProposal(actions, "\nbody without a title", null, config, { tokens });
    expect(v.proposal).toBeNull();
    expect(v.errors).toEqual({
      [fieldKey(0, "to")]: "“0x123” is not an address (0x followed by 40 hex digits).",
      [fieldKey(0, "amount")]: "“abc” is not a number of ETH.",
      [fieldKey(1, "amount")]: "The amount must be more than 0.",
      [fieldKey(2, "to")]: "Enter the recipient's address: 0x followed by 40 hex digits.",
      [fieldKey(2, "amount")]: "dUSD has 6 decimal places; this amount has 7.",
      [fieldKey(3, "target")]: "“nope” is not an address (0x followed by 40 hex digits).",
      [fieldKey(3, "args")]: "f takes 1 argument(s), got 2",
      [fieldKey(3, "value")]: "“x” is not a number of ETH.",
      description: expect.stringMatching(/first line is the title.*empty/),
    });
    expect(validateProposal([], "", null, config).errors).toEqual({ actions: "Add at least one action.", description: "Write a description: its first line is the title voters see." });
  });

  it("converts amounts typed in token units with the token's decimals read from the chain", () => {
    const p = buildProposal([{ kind: "token", token: DUSD, to: erin, amount: "600,000" }], "# Pay erin", null, config, { tokens });
    expect(p.targets).toEqual([DUSD]);
    expect(decodeFunctionData({ abi: erc20Abi, data: p.calldatas[0]! }).args).toEqual([expect.stringMatching(/^0x9965/i), 600_000_000_000n]);
    expect(parseAmount("0.000001", 6, "dUSD")).toEqual({ value: 1n });
    expect(parseAmount("1,5", 6, "dUSD")).toMatchObject({ error: expect.stringMatching(/use a point for decimals/) });
    expect(parseAmount("2.5", 0, "WHOLE")).toMatchObject({ error: "WHOLE cannot be split: enter a whole number." });
  });

  it("refuses a custom token that does not answer as one, and waits while it is read", () => {
    const custom: ActionDraft = { kind: "token", token: MYSTERY, custom: true, to: erin, amount: "5" };
    const unknown = validateProposal([custom], "# x", null, config, { tokens: new Map([[MYSTERY.toLowerCase(), { address: MYSTERY, symbol: null, decimals: null }]]) });
    expect(unknown.errors[fieldKey(0, "token")]).toMatch(/does not answer as a token/);
    const reading = validateProposal([custom], "# x", null, config, { pending: new Set([MYSTERY.toLowerCase()]) });
    expect(reading).toMatchObject({ proposal: null, errors: {}, pending: [fieldKey(0, "token")] });
    expect(validateProposal([{ ...custom, token: "" }], "# x", null, config).errors[fieldKey(0, "token")]).toMatch(/Enter the token's address/);
  });

  it("warns at the amount when it exceeds the treasury's balance, counting earlier actions", () => {
    const balances = new Map([[DUSD.toLowerCase(), 1_000_000_000_000n], ["eth", 10n ** 18n]]);
    const v = validateProposal(
      [
        { kind: "token", token: DUSD, to: erin, amount: "600000" },
        { kind: "token", token: DUSD, to: erin, amount: "600000" },
        { kind: "eth", to: erin, amount: "2" },
      ],
      "# x",
      null,
      config,
      { tokens, balances },
    );
    expect(v.proposal).not.toBeNull();
    expect(v.warnings).toEqual({
      [fieldKey(1, "amount")]: "With the actions above, more than the treasury holds (1,000,000 dUSD).",
      [fieldKey(2, "amount")]: "More than the treasury holds (1 ETH).",
    });
  });

  it("says the proposal threshold in token units", () => {
    const data = encodeErrorResult({ abi: governorAbi, errorName: "GovernorInsufficientProposerVotes", args: [erin as Address, 12n * 10n ** 17n, 1000n * 10n ** 18n] });
    const error = new BaseError("reverted", { cause: Object.assign(new Error("execution reverted"), { data }) });
    const message = explainError(error, config.token);
    expect(message).toBe("Your voting power (1.2 DEMO) is below the proposal threshold (1,000 DEMO). Delegate to yourself first, then wait for the next block. (GovernorInsufficientProposerVotes)");
    expect(message).not.toMatch(/base units|000000000000/);
  });

  it("knows drafting is off when the analyst's /health says it has no model", async () => {
    const analyst = (body: unknown) => ({ health: async () => body }) as never;
    expect(await readDraftingAvailable(analyst({ status: "ok", mode: "deterministic", model: null }))).toBe(false);
    expect(await readDraftingAvailable(analyst({ status: "ok", mode: "model", model: "claude" }))).toBe(true);
    expect(await readDraftingAvailable(analyst({ status: "ok" }))).toBeNull();
  });
});
