// Runs after `npm install`. Hardhat 3 needs Node 22+, and its native EDR binding is an optional
// dependency that npm silently skips when npm itself runs on an older Node. The `node` package
// (a devDependency) puts Node 22 in node_modules/.bin, which npm scripts put first on PATH, so
// this script runs on Node 22 even when the system Node is 20. If the binding is missing, one
// more `npm install` from here (now on Node 22) adds it.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [major] = process.versions.node.split(".").map(Number);

function edrBindingLoads() {
  try {
    require("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

if (major < 22) {
  console.error(
    `[setup] Node ${process.versions.node} is running the install scripts, and the local Node 22 ` +
      "was not found in node_modules/.bin. Run `npm install` again from the repository root.",
  );
  process.exit(1);
}

if (edrBindingLoads()) {
  process.exit(0);
}

if (process.env.AI_DAO_SETUP_SECOND_PASS) {
  console.error("[setup] the Hardhat EDR native binding is still missing after a second install pass.");
  process.exit(1);
}

console.log(`[setup] adding Hardhat's native binding with Node ${process.versions.node} ...`);
const npmCli = process.env.npm_execpath;
const command = npmCli ? process.execPath : "npm";
const args = [...(npmCli ? [npmCli] : []), "install", "--ignore-scripts", "--no-audit", "--no-fund"];
const result = spawnSync(command, args, {
  stdio: "inherit",
  env: { ...process.env, AI_DAO_SETUP_SECOND_PASS: "1" },
});
if (result.status !== 0 || !edrBindingLoads()) {
  console.error("[setup] could not install the Hardhat EDR native binding; see the npm output above.");
  process.exit(1);
}
console.log("[setup] toolchain ready.");
