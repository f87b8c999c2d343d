// The local deploy config names Hardhat's development accounts ("alice", the guardian, the analyst's
// key, ...). `npm start` and the demo seed act as those people through the node's unlocked accounts,
// so an address that is not the account its label says (a typo in one hex digit) silently gives the
// demo a holder nobody can act for. Every address is checked against the public mnemonic itself.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";

import { resolveDeployConfig, resolveTreasuryAssets } from "@ai-dao/deployment";
import { DEV_ACCOUNT_NAMES, DEV_MNEMONIC, devAddresses } from "@ai-dao/testkit/accounts";
import { getAddress, isAddress } from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { STABLECOIN_DEPLOYER_INDEX } from "../../scripts/demo/seed.ts";

const root = path.resolve(import.meta.dirname, "../..");
const MNEMONIC = "test test test test test test test test test test test junk";
/** `hardhat node` funds and unlocks the first 20 accounts of the mnemonic. */
const NODE_ACCOUNTS = 20;
const derived = Array.from({ length: NODE_ACCOUNTS }, (_, i) => mnemonicToAccount(MNEMONIC, { addressIndex: i }).address);

function accountIndex(address: string): number {
  return derived.findIndex((a) => a.toLowerCase() === address.toLowerCase());
}

/** Every 0x-address anywhere in a parsed JSON value, with its JSON path. */
function addressesIn(value: unknown, at = "$"): { path: string; address: string }[] {
  if (typeof value === "string") return isAddress(value, { strict: false }) ? [{ path: at, address: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => addressesIn(v, `${at}[${i}]`));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => addressesIn(v, `${at}.${k}`));
  return [];
}

describe("development accounts", () => {
  it("testkit's named accounts are the mnemonic's accounts in order", () => {
    assert.equal(DEV_MNEMONIC, MNEMONIC);
    const named = devAddresses();
    DEV_ACCOUNT_NAMES.forEach((name, i) => assert.equal(named[name], derived[i], `${name} is account #${i}`));
  });

  it("the local deploy config gives every labelled account the mnemonic's address for that label", async () => {
    const file = path.join(root, "ignition/config/local.json");
    const json = JSON.parse(await readFile(file, "utf8"));
    const config = resolveDeployConfig("local", json, file);
    const named = devAddresses();

    // Allocations are labelled with the holder's name.
    let labelled = 0;
    for (const allocation of config.token.allocations) {
      if (allocation.recipient === "treasury") continue;
      const label = allocation.label as (typeof DEV_ACCOUNT_NAMES)[number] | undefined;
      assert.ok(label !== undefined && DEV_ACCOUNT_NAMES.includes(label), `allocation to ${allocation.recipient} must name its development account`);
      assert.equal(allocation.recipient, named[label], `"${label}" must be development account #${DEV_ACCOUNT_NAMES.indexOf(label)}`);
      labelled += 1;
    }
    assert.equal(labelled, 5, "alice, bob, carol, dave and erin hold tokens");
    assert.equal(config.governor.proposalGuardian, named.guardian);
    assert.deepEqual(config.analysts, [named.analyst]);
    assert.deepEqual(config.publishers, [named.analyst, named.executor]);

    // The demo stablecoin's creator is the account the seed deploys it from, at nonce 0.
    const [stablecoin] = config.treasuryAssets;
    assert.ok(stablecoin !== undefined && "createdBy" in stablecoin, "the local config lists dUSD by its creator");
    assert.equal(stablecoin.createdBy, derived[STABLECOIN_DEPLOYER_INDEX]);
    assert.equal(stablecoin.nonce, 0);
    assert.equal(resolveTreasuryAssets(config.treasuryAssets)[0]!.address, getAddress("0x73511669fd4dE447feD18BB79bAFeAC93aB7F31f"));
  });

  it("every address in the local deploy config is one of the node's development accounts", async () => {
    const file = path.join(root, "ignition/config/local.json");
    const found = addressesIn(JSON.parse(await readFile(file, "utf8")));
    assert.ok(found.length >= 10);
    for (const { path: at, address } of found) {
      assert.ok(accountIndex(address) >= 0, `${at} = ${address} is not an account of the development mnemonic`);
      assert.equal(address, getAddress(address), `${at} should be written checksummed`);
    }
  });

  it("the other deploy configs hold no near-miss of a development account", async () => {
    // A real config must not use development keys at all; one hex digit off one is a copy-paste slip.
    const dir = path.join(root, "ignition/config");
    for (const name of (await readdir(dir)).filter((f) => f.endsWith(".json") && f !== "local.json")) {
      for (const { path: at, address } of addressesIn(JSON.parse(await readFile(path.join(dir, name), "utf8")))) {
        const near = derived.findIndex((a) => a.toLowerCase() !== address.toLowerCase() && a.slice(0, 12).toLowerCase() === address.slice(0, 12).toLowerCase());
        assert.equal(near, -1, `${name} ${at} = ${address} looks like development account #${near} but is not it`);
        assert.equal(accountIndex(address), -1, `${name} ${at} uses development account #${accountIndex(address)}, whose key is public`);
      }
    }
  });
});
