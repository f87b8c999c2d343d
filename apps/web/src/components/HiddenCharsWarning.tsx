import { findSuspiciousCharacters, revealHidden } from "../lib/text.ts";

export function HiddenCharsWarning({ text }: { text: string }) {
  const found = findSuspiciousCharacters(text);
  if (found.length === 0) return null;
  const invisible = found.filter((f) => f.kind !== "confusable");
  const confusable = found.filter((f) => f.kind === "confusable");
  return (
    <div role="alert" className="card warning" data-testid="hidden-chars-warning">
      <strong>Warning: this description contains characters that hide or disguise text.</strong>
      <ul>
        {invisible.length > 0 && (
          <li>
            {invisible.length} invisible or direction-changing character{invisible.length > 1 ? "s" : ""} ({[...new Set(invisible.map((f) => f.codePoint))].join(", ")})
          </li>
        )}
        {confusable.map((f) => (
          <li key={f.index}>
            “{f.word}” mixes alphabets ({f.codePoint} looks like a Latin letter)
          </li>
        ))}
      </ul>
      {invisible.length > 0 && (
        <details>
          <summary>Show the text with hidden characters marked</summary>
          <pre>{revealHidden(text)}</pre>
        </details>
      )}
    </div>
  );
}
