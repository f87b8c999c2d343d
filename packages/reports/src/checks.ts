/**
 * The analyst's deterministic checks: id → the label people read. A label lives here once and is
 * not written into reports (from schema version 3 a coverage entry carries only the check's id);
 * readers label an entry with {@link checkName}. The analyst takes its checks' names from here.
 * Adding a check: an entry here and a file in the analyst's `checks/`.
 */
export const CHECK_NAMES = {
  "description-claims": "Description claims vs what the calls do",
  "undecodable-calls": "Calls that cannot be decoded",
  "treasury-outflow": "Treasury outflow",
  "treasury-approvals": "Approvals and permits from the treasury",
  "access-control": "Roles, ownership, guardian, analysts, timelock delay",
  "governor-parameters": "Governor and timelock parameter changes",
  "proxy-upgrades": "Proxy upgrades",
  "target-code": "Dangerous instructions in the called contracts",
  "eoa-calls": "Calls to accounts without code",
  "description-characters": "Hidden or look-alike characters and unreadable bytes in the description",
  "description-hidden": "Content of the description voters do not see",
  "description-injection": "Text aimed at an automated reviewer, in the description or the calls",
  "description-amounts": "Description amounts and recipients vs calldata",
  "description-missing": "Missing description",
  "upgrade-implementation": "Code installed by proxy upgrades",
  "initializer-call": "Initializer calls on live contracts",
  "recent-voting-power": "Voting power acquired shortly before the snapshot",
  "counterparty-control": "Who the proposal pays, empowers or calls",
  simulation: "Running the proposal on a copy of the chain",
  "simulated-effects": "Effects the calls do not show",
  "simulated-outflow": "Treasury outflow measured on a copy of the chain",
} as const satisfies Record<string, string>;

/** The id of a check in the catalogue. */
export type CheckId = keyof typeof CHECK_NAMES;

/** Every check id in the catalogue. */
export const checkIds = Object.keys(CHECK_NAMES) as CheckId[];

/** Whether `id` is a check in the catalogue. */
export function isCheckId(id: string): id is CheckId {
  return Object.hasOwn(CHECK_NAMES, id);
}

/**
 * The label of a check: the catalogue's name, or for an id the catalogue does not know (a report
 * from a newer analyst) the id itself, so nothing is made up.
 */
export function checkName(id: string): string {
  return isCheckId(id) ? CHECK_NAMES[id] : id;
}
