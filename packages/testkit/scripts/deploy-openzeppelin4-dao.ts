// `hardhat run --network localhost packages/testkit/scripts/deploy-openzeppelin4-dao.ts`: deploys,
// on the node at CHAIN_PORT, an OpenZeppelin 4.9 DAO with a block-number clock as a DAO that predates the
// platform would have it (packages/testkit's deployOpenZeppelin4DAO), funds its treasury with
// 10 ETH, and prints its addresses as one line of JSON. The system tests and the web app's end-to-end
// tests use it to have a DAO the platform did not deploy on a real node.
import { network } from "hardhat";
import { parseEther } from "viem";

import { deployOpenZeppelin4DAO } from "@ai-dao/testkit";

const connection = await network.create();
const dao = await deployOpenZeppelin4DAO(connection);
const publicClient = await connection.viem.getPublicClient();
await publicClient.waitForTransactionReceipt({ hash: await dao.accounts.deployer.sendTransaction({ to: dao.timelock.address, value: parseEther("10") }) });
console.log(JSON.stringify({ governor: dao.governor.address, token: dao.token.address, timelock: dao.timelock.address }));
