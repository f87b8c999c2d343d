/**
 * How a proposal's call is named in text people read: an "action", counted from 1. Reports keep
 * 0-based call indexes in their machine fields (`callIndex`, `decodedCalls[].index`, the `call:N`
 * evidence ids); every sentence that names a call names it with these, in the analyst and the web app alike.
 */

/** The label of the call at 0-based `index`: `action 1` for index 0; `Action 1` with `capital` (a sentence's start). */
export function actionLabel(index: number, options: { capital?: boolean } = {}): string {
  return `${options.capital ? "Action" : "action"} ${index + 1}`;
}

/**
 * Several calls by 0-based index, as a person reads them: `action 1`, `actions 1 and 3`,
 * `actions 1, 3 and 4`; `Action…`/`Actions…` with `capital`.
 */
export function actionList(indexes: readonly number[], options: { capital?: boolean } = {}): string {
  if (indexes.length === 1) return actionLabel(indexes[0]!, options);
  const numbers = indexes.map((i) => String(i + 1));
  return `${options.capital ? "Actions" : "actions"} ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
}
