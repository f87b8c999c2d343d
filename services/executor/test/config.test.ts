import { describe, expect, it } from "vitest";

import { decodeRevert, namedRevertArgs } from "../src/revert.ts";
import { ExecutorConfigError, loadConfig } from "../src/config.ts";
import { encodeErrorResult, parseAbi } from "viem";

const KEY = `0x${"ab".repeat(32)}`;

describe("configuration", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({ EXECUTOR_PRIVATE_KEY: KEY });
    expect(config).toMatchObject({
      RPC_URL: "http://127.0.0.1:8545",
      EXECUTOR_PORT: 8200,
      EXECUTOR_DRY_RUN: false,
      EXECUTOR_OVERRIDES: [],
      EXECUTOR_POLL_INTERVAL_MS: 5000,
      EXECUTOR_TX_TIMEOUT_MS: 120000,
      EXECUTOR_FEE_BUMP_PERCENT: 25,
      EXECUTOR_PUBLISH_GUARDS: true,
      LOG_LEVEL: "info",
    });
    expect(config.EXECUTOR_DATA_DIR).toMatch(/\.data[/\\]executor$/);
    expect(config.EXECUTOR_WEBHOOK_URL).toBeUndefined();
  });

  it("names every bad variable and never echoes the key", () => {
    const secret = `0x${"cd".repeat(31)}`; // one byte short
    let error: unknown;
    try {
      loadConfig({ EXECUTOR_PRIVATE_KEY: secret, EXECUTOR_PORT: "http", EXECUTOR_DRY_RUN: "maybe", EXECUTOR_OVERRIDES: "12,abc", RPC_URL: "localhost:8545" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExecutorConfigError);
    const message = (error as Error).message;
    for (const name of ["EXECUTOR_PRIVATE_KEY", "EXECUTOR_PORT", "EXECUTOR_DRY_RUN", "EXECUTOR_OVERRIDES", "RPC_URL"]) expect(message).toContain(name);
    expect(message).not.toContain(secret);
    expect(message).not.toContain("cdcdcd");
    expect(() => loadConfig({})).toThrow(/EXECUTOR_PRIVATE_KEY: is required/);
  });

  it("parses overrides and booleans", () => {
    const config = loadConfig({ EXECUTOR_PRIVATE_KEY: KEY, EXECUTOR_OVERRIDES: " 1, 0002 ,3", EXECUTOR_DRY_RUN: "true", EXECUTOR_PUBLISH_GUARDS: "false" });
    expect(config.EXECUTOR_OVERRIDES).toEqual(["1", "2", "3"]);
    expect(config.EXECUTOR_DRY_RUN).toBe(true);
    expect(config.EXECUTOR_PUBLISH_GUARDS).toBe(false);
  });
});

describe("revert decoding", () => {
  it("decodes Error(string), panics, DAO custom errors and leaves unknown ones raw", () => {
    const errorString = encodeErrorResult({ abi: parseAbi(["error Error(string)"]), errorName: "Error", args: ["nope"] });
    expect(decodeRevert(errorString)).toMatchObject({ kind: "error-string", message: 'Error("nope")' });
    const panic = encodeErrorResult({ abi: parseAbi(["error Panic(uint256)"]), errorName: "Panic", args: [0x11n] });
    expect(decodeRevert(panic)).toMatchObject({ kind: "panic", args: ["17"], message: "Panic(17): arithmetic overflow or underflow" });
    const custom = encodeErrorResult({
      abi: parseAbi(["error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)"]),
      errorName: "TimelockUnexpectedOperationState",
      args: [`0x${"11".repeat(32)}`, `0x${"00".repeat(31)}04`],
    });
    expect(decodeRevert(custom)).toMatchObject({ kind: "custom", name: "TimelockUnexpectedOperationState" });
    expect(decodeRevert("0xdeadbeef00")).toMatchObject({ kind: "unknown", selector: "0xdeadbeef" });
    expect(decodeRevert("0x")).toMatchObject({ kind: "empty" });
  });

  it("names the arguments as the error declares them", () => {
    const target = "0x00000000000000000000000000000000000000AA";
    const changed = encodeErrorResult({
      abi: parseAbi(["error GovernorTargetCodeChanged(uint256 proposalId, address target, bytes32 pinned, bytes32 current)"]),
      errorName: "GovernorTargetCodeChanged",
      args: [7n, target, `0x${"00".repeat(32)}`, `0x${"ab".repeat(32)}`],
    });
    expect(namedRevertArgs(decodeRevert(changed))).toEqual({ proposalId: "7", target, pinned: `0x${"00".repeat(32)}`, current: `0x${"ab".repeat(32)}` });
    const errorString = encodeErrorResult({ abi: parseAbi(["error Error(string)"]), errorName: "Error", args: ["nope"] });
    expect(namedRevertArgs(decodeRevert(errorString))).toEqual({ message: "nope" });
    const panic = encodeErrorResult({ abi: parseAbi(["error Panic(uint256)"]), errorName: "Panic", args: [0x11n] });
    expect(namedRevertArgs(decodeRevert(panic))).toEqual({ code: "17", reason: "arithmetic overflow or underflow" });
    expect(namedRevertArgs(decodeRevert("0xdeadbeef00"))).toEqual({});
  });
});
