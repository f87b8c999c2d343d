import type { z } from "zod";

/** A configuration or deployment file that does not match its schema. Names every bad field. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** What was being read, e.g. `deploy config (deploy/local.json)`. */
  readonly subject: string;
  /** One line per problem: `field.path: what is wrong`. */
  readonly problems: string[];

  // Plain fields rather than parameter properties: services import this with `node file.ts`, whose
  // type stripping does not support parameter properties.
  constructor(subject: string, problems: string[]) {
    super(`Invalid ${subject}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.subject = subject;
    this.problems = problems;
  }

  static fromZod(subject: string, error: z.ZodError): ConfigError {
    return new ConfigError(
      subject,
      error.issues.map((issue) => `${formatPath(issue.path) || "(root)"}: ${issue.message}`),
    );
  }
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}
