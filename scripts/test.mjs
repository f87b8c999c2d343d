// `npm test`: builds the contracts, type-checks, and runs every suite, then prints one summary line.
// Each suite's own output streams through unchanged; a failing step fails the whole run.
import { spawn } from "node:child_process";

const steps = [
  { name: "compile contracts", command: "npx", args: ["hardhat", "build", "--quiet"] },
  { name: "type-check", command: "npx", args: ["tsc", "--noEmit", "-p", "tsconfig.json"] },
  { name: "type-check workspaces", command: "npm", args: ["run", "typecheck", "--workspaces", "--if-present"] },
  { name: "contracts (Solidity + node:test)", command: "npx", args: ["hardhat", "test"], counts: true },
  { name: "system (npm start)", command: "node", args: ["--test", "--test-concurrency=1", "--test-reporter=spec", "test/system/*.test.ts"], counts: true },
  { name: "workspaces (vitest)", command: "npm", args: ["test", "--workspaces", "--if-present"], counts: true },
  { name: "web end to end (Chromium)", command: "npm", args: ["run", "test:e2e", "-w", "@ai-dao/web"], counts: true },
];

const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

function run(step) {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(step.command, step.args, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output: stripAnsi(output) }));
  });
}

function count(output) {
  let passed = 0;
  let failed = 0;
  // Hardhat's runners: "12 passing", "1 failing". Vitest: "Tests  8 passed | 1 failed (9)".
  for (const m of output.matchAll(/^\s*(\d+) passing/gm)) passed += Number(m[1]);
  for (const m of output.matchAll(/^\s*(\d+) failing/gm)) failed += Number(m[1]);
  // node --test: "ℹ pass 2", "ℹ fail 0".
  for (const m of output.matchAll(/^ℹ pass (\d+)/gm)) passed += Number(m[1]);
  for (const m of output.matchAll(/^ℹ fail (\d+)/gm)) failed += Number(m[1]);
  for (const m of output.matchAll(/^\s*Tests\s+(.*)$/gm)) {
    passed += Number(/(\d+) passed/.exec(m[1])?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(m[1])?.[1] ?? 0);
  }
  return { passed, failed };
}

let passed = 0;
let failed = 0;
const broken = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const result = await run(step);
  if (step.counts) {
    const c = count(result.output);
    passed += c.passed;
    failed += c.failed;
  }
  if (result.code !== 0) broken.push(step.name);
}

console.log("");
if (broken.length > 0) console.log(`failed steps: ${broken.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(broken.length > 0 || failed > 0 ? 1 : 0);
