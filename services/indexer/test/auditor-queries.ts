// The auditor queries of subgraph/README.md, read from the README itself, so the tests run and the
// benchmark times exactly the queries the README gives auditors: every ```graphql block of its
// "## Auditor queries" section, named by its root fields (and its variables, and "at a past block"
// for `block:`).
import { readFileSync } from "node:fs";
import path from "node:path";

import { Kind, type OperationDefinitionNode, parse } from "graphql";

import { repoRoot } from "../src/build.ts";

export interface AuditorQuery {
  name: string;
  text: string;
  /** The names of the query's variables, without `$`. */
  variables: string[];
}

const PAST_BLOCK = /block: \{ number: \d+ \}/g;

export function auditorQueries(): AuditorQuery[] {
  const readme = readFileSync(path.join(repoRoot, "subgraph/README.md"), "utf8");
  const section = /^## Auditor queries\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('subgraph/README.md has no "## Auditor queries" section');
  const queries = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map(([, text]) => {
    const operation = parse(text!).definitions[0] as OperationDefinitionNode;
    const roots = [...new Set(operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : "…")))];
    const variables = (operation.variableDefinitions ?? []).map((v) => v.variable.name.value);
    const past = text!.search(PAST_BLOCK) >= 0 ? " at a past block" : "";
    return { name: `${roots.join(", ")}${variables.length ? ` ($${variables.join(", $")})` : ""}${past}`, text: text!, variables };
  });
  if (queries.length === 0) throw new Error("subgraph/README.md gives no auditor query");
  return queries;
}

/** The query text asking at block `block` wherever the README's asks at a past block. */
export function atBlock(text: string, block: number): string {
  return text.replace(PAST_BLOCK, `block: { number: ${block} }`);
}
