// Prints the report dictionary's text: the vocabulary of the report schemas, laid out as canonical
// JSON lays it out. It was run once, at report schema version 3, to make `src/dictionary.ts`; that
// text is frozen (its hash is pinned in IDecisionLog.ReportEncoding), so this script is kept to
// show how the text was made and to make the next version's, not to rebuild the current one.
//
//   node packages/reports/scripts/dictionary.ts > /tmp/dictionary.txt
import { z } from "zod";

import { canonicalJson, checkIds, coverageStatuses, draftReportSchema, failedReportSchema, guardReportSchema, reportSchema } from "../src/index.ts";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** A value of the schema's shape: every key, the first enum value, empty text, zero, one array item. */
function skeleton(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return skeleton(options.find((o) => o.type !== "null") ?? options[0]!);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, skeleton(value)]));
    case "array":
      return schema.items ? [skeleton(schema.items)] : [];
    case "string":
      return "";
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}

const shape = (schema: z.ZodType) => canonicalJson(skeleton(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema));

// Coverage lists in the catalogue's order, each status throughout: most reports' lists are runs of these.
const coverage = coverageStatuses.map((status) => canonicalJson(checkIds.map((check) => ({ check, status }))));

// zlib codes nearer matches more cheaply, so the commonest text (the analysis) comes last.
process.stdout.write([shape(draftReportSchema), shape(guardReportSchema), shape(failedReportSchema), ...coverage.reverse(), shape(reportSchema)].join("\n"));
