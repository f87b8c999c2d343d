// The local DAO fixture and what tests share around it. Subpath exports (`/accounts`, `/deployment`,
// `/messages-api`, `/process`, `/rpc`) load one part without Hardhat and the Ignition deploy behind the fixture.
export * from "./accounts.ts";
export * from "./dao.ts";
export * from "./deployment.ts";
export * from "./foreign-daos.ts";
export * from "./messages-api.ts";
export * from "./process.ts";
export * from "./propose-bytes.ts";
export * from "./rpc.ts";
