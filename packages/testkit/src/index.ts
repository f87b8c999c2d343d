// The local DAO fixture and what tests share around it. Subpath exports (`/accounts`, `/deployment`,
// `/process`, `/rpc`) load one part without Hardhat and the Ignition deploy behind the fixture.
export * from "./accounts.ts";
export * from "./dao.ts";
export * from "./deployment.ts";
export * from "./process.ts";
export * from "./propose-bytes.ts";
export * from "./rpc.ts";
