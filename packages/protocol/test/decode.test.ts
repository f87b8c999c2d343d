import { encodeFunctionData, parseAbi, type Address, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { decodeCalls } from "../src/index.ts";

const contracts = {
  token: "0x1000000000000000000000000000000000000001",
  governor: "0x1000000000000000000000000000000000000002",
  timelock: "0x1000000000000000000000000000000000000003",
  decisionLog: "0x1000000000000000000000000000000000000004",
} as const satisfies Record<string, Address>;
const other: Address = "0x2000000000000000000000000000000000000000";
const abi = parseAbi([
  "function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)",
  "function upgradeToAndCall(address newImplementation, bytes data)",
  "function changeAdmin(address newAdmin)",
  "function transferOwnership(address newOwner)",
  "function setApprovalForAll(address operator, bool approved)",
  "function updateDelay(uint256 newDelay)",
  "function setVotingPeriod(uint32 newVotingPeriod)",
]);

function decode(calls: { target: Address; data: Hex; value?: bigint }[], extra: Parameters<typeof decodeCalls>[2] = []) {
  return decodeCalls({ targets: calls.map((c) => c.target), values: calls.map((c) => c.value ?? 0n), calldatas: calls.map((c) => c.data) }, contracts, extra);
}

describe("decodeCalls", () => {
  it("decodes standards on any address and the DAO's own ABIs on its addresses", () => {
    const zero = `0x${"00".repeat(32)}` as Hex;
    const calls = decode([
      { target: other, data: encodeFunctionData({ abi, functionName: "permit", args: [contracts.timelock, other, 5n, 0n, 27, zero, zero] }) },
      { target: other, data: encodeFunctionData({ abi, functionName: "upgradeToAndCall", args: [other, "0x"] }) },
      { target: other, data: encodeFunctionData({ abi, functionName: "changeAdmin", args: [other] }) },
      { target: other, data: encodeFunctionData({ abi, functionName: "transferOwnership", args: [other] }) },
      { target: other, data: encodeFunctionData({ abi, functionName: "setApprovalForAll", args: [other, true] }) },
      { target: contracts.timelock, data: encodeFunctionData({ abi, functionName: "updateDelay", args: [0n] }) },
      { target: contracts.governor, data: encodeFunctionData({ abi, functionName: "setVotingPeriod", args: [1] }) },
    ]);
    expect(calls.map((c) => [c.signature, c.abiSource])).toEqual([
      ["permit(address,address,uint256,uint256,uint8,bytes32,bytes32)", "ERC20"],
      ["upgradeToAndCall(address,bytes)", "UUPS"],
      ["changeAdmin(address)", "ERC1967Proxy"],
      ["transferOwnership(address)", "Ownable"],
      ["setApprovalForAll(address,bool)", "ERC721"],
      ["updateDelay(uint256)", "TimelockController"],
      ["setVotingPeriod(uint32)", "DAOGovernor"],
    ]);
    expect(calls.every((c) => c.decoded)).toBe(true);
  });

  it("marks ETH transfers, unknown selectors, short calldata and trailing bytes", () => {
    const transfer = encodeFunctionData({ abi: parseAbi(["function transfer(address,uint256)"]), functionName: "transfer", args: [other, 1n] });
    const calls = decode([
      { target: other, data: "0x", value: 5n },
      { target: other, data: "0xdeadbeef00" },
      { target: other, data: "0x1234" },
      { target: other, data: `${transfer}cafe` },
      { target: other, data: "0x" },
    ]);
    expect(calls.map((c) => [c.kind, c.decoded, c.selector])).toEqual([
      ["eth-transfer", true, null],
      ["call", false, "0xdeadbeef"],
      ["call", false, null],
      ["call", true, "0xa9059cbb"],
      ["empty", true, null],
    ]);
    expect(calls[3]!.trailingBytes).toBe(2);
    expect(calls[3]!.args).toEqual([other, 1n]);
  });

  it("names the parameters, and tries a contract's extra ABI before the standards", () => {
    const vault: Address = "0x3000000000000000000000000000000000000000";
    const vaultAbi = parseAbi(["function transfer(address recipient, uint256 shares)"]);
    const data = encodeFunctionData({ abi: vaultAbi, functionName: "transfer", args: [other, 3n] });
    const [mine, elsewhere] = decode([{ target: vault, data }, { target: other, data }], [{ name: "Vault", abi: vaultAbi, address: vault }]);
    expect(mine).toMatchObject({ abiSource: "Vault", inputs: [{ name: "recipient" }, { name: "shares" }], args: [other, 3n] });
    expect(elsewhere).toMatchObject({ abiSource: "ERC20", inputs: [{ name: "to" }, { name: "amount" }] });
  });
});
