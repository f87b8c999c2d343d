import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  parseAbi,
  RawContractError,
  type Abi,
  type Hex,
} from "viem";
import { describe, expect, it } from "vitest";

import { daoAbis, daoErrorsAbi, decodeRevert, revertDataOf } from "../src/index.ts";

type AbiError = Extract<Abi[number], { type: "error" }>;

/** `Name(type,type)`: what an error's selector is the hash of. */
const signatureOf = (e: AbiError) => `${e.name}(${e.inputs.map((i) => i.type).join(",")})`;


const errorString = encodeErrorResult({ abi: parseAbi(["error Error(string)"]), errorName: "Error", args: ["nope"] });
const panic = (code: bigint) => encodeErrorResult({ abi: parseAbi(["error Panic(uint256)"]), errorName: "Panic", args: [code] });

describe("decodeRevert", () => {
  it("reads Error(string) as its message", () => {
    expect(decodeRevert(errorString)).toMatchObject({ kind: "error-string", name: "Error", args: ["nope"], reason: "nope", message: 'Error("nope")' });
  });

  it("reads Panic(uint256) with what the code means", () => {
    expect(decodeRevert(panic(0x11n))).toMatchObject({ kind: "panic", name: "Panic", args: [17n], reason: "arithmetic overflow or underflow", message: "Panic(17): arithmetic overflow or underflow" });
    expect(decodeRevert(panic(0x32n)).reason).toBe("array index out of bounds");
    expect(decodeRevert(panic(0x99n))).toMatchObject({ kind: "panic", reason: "unknown panic code" });
  });

  it("reads the DAO's custom errors with their arguments", () => {
    const data = encodeErrorResult({ abi: daoErrorsAbi, errorName: "GovernorUnexpectedProposalState", args: [7n, 0, `0x${"0".repeat(63)}2`] });
    expect(decodeRevert(data)).toMatchObject({
      kind: "custom",
      name: "GovernorUnexpectedProposalState",
      selector: data.slice(0, 10),
      args: [7n, 0, `0x${"0".repeat(63)}2`],
      reason: null,
      message: `GovernorUnexpectedProposalState(7, 0, 0x${"0".repeat(63)}2)`,
    });
    const timelock = encodeErrorResult({ abi: daoErrorsAbi, errorName: "TimelockUnexpectedOperationState", args: [`0x${"ab".repeat(32)}`, `0x${"0".repeat(63)}4`] });
    expect(decodeRevert(timelock)).toMatchObject({ kind: "custom", name: "TimelockUnexpectedOperationState" });
  });

  it("reads another contract's errors from an extra ABI", () => {
    const abi = parseAbi(["error VaultLocked(address vault, string why)"]);
    const data = encodeErrorResult({ abi, errorName: "VaultLocked", args: ["0x5FbDB2315678afecb367f032d93F642f64180aa3", "paused"] });
    expect(decodeRevert(data).kind).toBe("unknown");
    expect(decodeRevert(data, abi)).toMatchObject({ kind: "custom", name: "VaultLocked", message: 'VaultLocked(0x5FbDB2315678afecb367f032d93F642f64180aa3, "paused")' });
  });

  it("keeps unknown selectors raw and says when there is no data", () => {
    expect(decodeRevert("0xdeadbeef00")).toMatchObject({ kind: "unknown", name: null, selector: "0xdeadbeef", message: "unknown error 0xdeadbeef (5 bytes)", data: "0xdeadbeef00" });
    expect(decodeRevert("0xdead")).toMatchObject({ kind: "unknown", selector: null });
    expect(decodeRevert("0x")).toMatchObject({ kind: "empty", message: "reverted without data" });
  });

  it("knows every error of the DAO's contracts and the libraries they use, each once", () => {
    const signatures = daoErrorsAbi.filter((item): item is AbiError => item.type === "error").map(signatureOf);
    expect(new Set(signatures).size).toBe(signatures.length);
    for (const abi of Object.values(daoAbis) as Abi[]) {
      for (const item of abi) if (item.type === "error") expect(signatures).toContain(signatureOf(item));
    }
    for (const name of ["GovernorUnexpectedProposalState", "TimelockUnexpectedOperationState", "DecisionLogNoDecision", "ECDSAInvalidSignature", "ERC2612ExpiredSignature", "DAOTokenZeroAllocation", "SafeCastOverflowedUintDowncast"]) {
      expect(signatures.some((s) => s.startsWith(`${name}(`)), name).toBe(true);
    }
  });
});

describe("revertDataOf", () => {
  const data = encodeErrorResult({ abi: daoErrorsAbi, errorName: "DecisionLogNoDecision", args: [1n, 0] });

  it("finds the bytes in a node's error and in viem's contract errors", () => {
    expect(revertDataOf(new BaseError("call failed", { cause: new RawContractError({ data }) }))).toBe(data);
    expect(revertDataOf(new BaseError("call failed", { cause: new RawContractError({ data: { data } }) }))).toBe(data);
    const reverted = new ContractFunctionRevertedError({ abi: daoErrorsAbi, data, functionName: "latestDecision" });
    const wrapped = new ContractFunctionExecutionError(reverted, { abi: daoErrorsAbi, functionName: "latestDecision", args: [], contractAddress: "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
    expect(revertDataOf(wrapped)).toBe(data);
    expect(decodeRevert(revertDataOf(wrapped) as Hex).name).toBe("DecisionLogNoDecision");
  });

  it("is 0x for a revert without data and undefined for what is not a revert", () => {
    expect(revertDataOf(new BaseError("execution reverted"))).toBe("0x");
    expect(revertDataOf(new BaseError("fetch failed"))).toBeUndefined();
    expect(revertDataOf(new Error("execution reverted"))).toBeUndefined();
  });
});
