import { REPORT_SCHEMA_VERSION, type DraftReport, type FailedReport, type FailedReportV2, type GuardReport, type Report, type ReportV2 } from "../src/index.ts";

const h = (byte: string) => `0x${byte.repeat(32)}` as const;
const treasury = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const outsider = "0x000000000000000000000000000000000000dEaD";

/** A current-version model-mode analysis of a proposal that sends 60 ETH to an outsider. */
export const modelReport: Report = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  status: "analysed",
  mode: "model",
  analyzer: { name: "@ai-dao/analyst", version: "0.1.0" },
  chainId: 31337,
  blockNumber: "40",
  inputHash: h("11"),
  proposal: {
    proposalId: "1234",
    descriptionHash: h("22"),
    descriptionInfo: { byteLength: 30, invalidUtf8Sequences: 0, hiddenContent: 0, hiddenCharacters: 0 },
    targets: [outsider],
    values: ["60000000000000000000"],
    calldatas: ["0x"],
  },
  decodedCalls: [{ index: 0, target: outsider, value: "60000000000000000000", kind: "eth-transfer", selector: null, decoded: true }],
  targets: [
    { address: outsider, kind: "empty", codeSize: 0, codeHash: null, balance: "0", nonce: 0, opcodes: { SELFDESTRUCT: false, DELEGATECALL: false, CREATE2: false } },
  ],
  governance: { treasury, balances: [{ asset: "ETH", symbol: "ETH", decimals: 18, balance: "100000000000000000000" }], governor: { quorumNumerator: "4" } },
  findings: [
    {
      id: "treasury-outflow/recipient",
      check: "treasury-outflow",
      severity: "critical",
      title: "Sends 60 % of the treasury's ETH to one account",
      detail: "60 ETH of 100 ETH",
      evidence: { callIndex: 0, address: outsider, amount: "60000000000000000000" },
    },
  ],
  riskFloor: 80,
  scores: { risk: 90, benefit: 5, confidence: 0.9 },
  recommendation: "against",
  notes: [],
  provenance: {
    analyzer: { name: "@ai-dao/analyst", version: "0.1.0" },
    mode: "model",
    model: "claude-test",
    systemPromptHash: h("33"),
    inputHash: h("11"),
    blockNumber: "40",
    trigger: "created",
  },
  model: {
    id: "claude-test",
    requestId: "req_1",
    attempts: 1,
    judgement: { risk: 90, benefit: 5, confidence: 0.9, recommendation: "against", reasoning: "The description says maintenance; the call drains the treasury." },
    unknownCitations: [],
    adjustments: [],
  },
  intentVsEffect: {
    claims: [{ claim: "Routine maintenance of the treasury", status: "unsupported", evidence: ["call:0"], explanation: "No call maintains anything." }],
    undisclosedEffects: [{ effect: "Sends 60 ETH to an outsider", evidence: ["call:0", "finding:0"] }],
  },
  simulation: { status: "skipped", reason: "not requested" },
  coverage: [
    { check: "treasury-outflow", status: "ran" },
    { check: "simulation", status: "skipped", reason: "no fork simulation was requested" },
  ],
};

/** The same analysis as published in version 2, when coverage entries carried the check's name. */
export const modelReportV2: ReportV2 = {
  ...modelReport,
  schemaVersion: 2,
  coverage: [
    { check: "treasury-outflow", name: "Treasury outflow", status: "ran" },
    { check: "simulation", name: "Running the proposal on a copy of the chain", status: "skipped", reason: "no fork simulation was requested" },
  ],
};

export const failedReport: FailedReport = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  status: "failed",
  mode: "deterministic",
  analyzer: { name: "@ai-dao/analyst", version: "0.1.0" },
  chainId: 31337,
  blockNumber: "41",
  inputHash: h("44"),
  proposal: { proposalId: "1234", descriptionHash: null, targets: null, values: null, calldatas: null },
  failure: { reason: "the node timed out", attempts: 3, event: { name: "ProposalCreated", blockNumber: "41", transactionHash: h("55"), logIndex: 0 } },
  findings: [{ id: "analysis/failed", check: "analysis", severity: "critical", title: "Analysis failed: the node timed out", detail: "…", evidence: { reason: "the node timed out" } }],
  riskFloor: 100,
  scores: { risk: 100 },
  recommendation: "needs-review",
  notes: ["analysis failed: the node timed out"],
  provenance: { analyzer: { name: "@ai-dao/analyst", version: "0.1.0" }, mode: "deterministic", model: null, systemPromptHash: null, inputHash: h("44"), blockNumber: "41", trigger: "created" },
};

/** A failure report as published in version 2. */
export const failedReportV2: FailedReportV2 = { ...failedReport, schemaVersion: 2 };

export const guardReport: GuardReport = {
  schemaVersion: 1,
  kind: "execution-guard",
  executor: { name: "@ai-dao/executor", version: "0.1.0", address: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" },
  chainId: 31337,
  governor: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  proposalId: "1234",
  action: "queue",
  decision: "refuse",
  reason: "code-drift",
  summary: "target code changed since the proposal was created",
  blockNumber: "50",
  evidence: { pinnedAtBlock: "12", changes: [{ address: outsider, field: "codeHash", pinned: h("66"), current: h("77") }], risk: 100 },
};

export const draftReport: DraftReport = {
  schemaVersion: 1,
  kind: "draft",
  intent: "Pay the auditor 1 ETH",
  actions: [{ template: "treasury-eth-transfer", recipient: outsider, amountWei: "1000000000000000000" }],
  proposal: { proposalId: "5678", targets: [outsider], values: ["1000000000000000000"], calldatas: ["0x"], descriptionHash: h("88") },
  analysis: { reportHash: h("99"), cid: "bafkreitest", mode: "model", risk: 10, recommendation: "for" },
  provenance: { analyzer: { name: "@ai-dao/analyst", version: "0.1.0" }, model: "claude-test", systemPromptHash: h("aa"), blockNumber: "60" },
};

/** A version 1 analysis: no `status`, no `descriptionInfo`. */
export const v1Report = {
  schemaVersion: 1,
  mode: "deterministic",
  analyzer: { name: "@ai-dao/analyst", version: "0.0.9" },
  chainId: 31337,
  blockNumber: "7",
  proposal: { proposalId: "1", descriptionHash: h("22"), targets: [outsider], values: ["1"], calldatas: ["0x"] },
  findings: [{ id: "eoa-calls/value-to-empty", check: "eoa-calls", severity: "low", title: "ETH to a never-used account", detail: "", evidence: {} }],
  riskFloor: 10,
  scores: { risk: 10 },
  recommendation: "for",
  notes: ["no model judgement"],
};
