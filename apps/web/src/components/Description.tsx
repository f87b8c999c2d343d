import { renderDescription, revealHidden, type HiddenCharacterKind, type RenderedDescription } from "@ai-dao/description";
import { useMemo, type ReactNode } from "react";

import { hiddenCharacterWords, hiddenContentWords, tagText, withoutProposerSuffix } from "../lib/description.ts";
import { Markdown } from "./Markdown.tsx";

const plural = (n: number, one: string, many: string) => (n === 1 ? one : `${n} ${many}`);

/**
 * A description as voters see it, with a warning for everything they cannot see: hidden passages,
 * hidden characters and look-alike letters, bytes that are not valid text. The proposal page and
 * the builder's preview both use this, with the same pipeline the analyst judges.
 */
export function Description({ text, invalidSequences = 0, heading = "Description", note }: { text: string; invalidSequences?: number; heading?: string; note?: ReactNode }) {
  // Dropping the proposer suffix changes no warning: it is plain ASCII, and only an exact one is dropped.
  const rendered = useMemo(() => renderDescription(withoutProposerSuffix(text)), [text]);
  return (
    <>
      <InvalidTextWarning count={invalidSequences} />
      <HiddenContentWarning hidden={rendered.hidden} />
      <HiddenCharsWarning text={text} rendered={rendered} />
      <section className="card description">
        <h2>{heading}</h2>
        {note}
        {/* Under this section's h2, the description's own "# Title" is an h3: the page keeps one h1. */}
        <Markdown tree={rendered.tree} topHeading={3} />
        {rendered.limited.plainTail && <p className="muted">This description is very long: the part past the first 100,000 characters is shown as plain text.</p>}
      </section>
    </>
  );
}

export function HiddenContentWarning({ hidden }: { hidden: RenderedDescription["hidden"] }) {
  if (hidden.length === 0) return null;
  const counts = new Map<keyof typeof hiddenContentWords, number>();
  for (const h of hidden) counts.set(h.kind, (counts.get(h.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, n]) => plural(n, hiddenContentWords[kind].one, hiddenContentWords[kind].many));
  const onlyAfterNul = counts.size === 1 && counts.has("after-nul");
  return (
    <div role="alert" className="card warning" data-testid="hidden-content-warning">
      <p>
        <strong>
          {onlyAfterNul ? "This description contains text that many programs do not show" : "This description contains text that is not shown"}: {plural(hidden.length, "1 hidden passage", "hidden passages")} ({kinds.join(", ")}).
        </strong>{" "}
        Hidden text can say something other than what you read. Check it before you vote.
      </p>
      <details>
        <summary>Show hidden text</summary>
        <ol className="hidden-passages">
          {hidden.map((h, i) => (
            <li key={i} data-testid="hidden-passage">
              <strong>{hiddenContentWords[h.kind].label}</strong>
              {h.line !== null && <span className="muted">, line {h.line}</span>}
              <span className="muted"> · {hiddenContentWords[h.kind].why}</span>
              <pre>{revealHidden(h.text) || "(empty)"}</pre>
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}

export function HiddenCharsWarning({ text, rendered }: { text: string; rendered: RenderedDescription }) {
  const { hiddenCharacters, confusables } = rendered;
  if (hiddenCharacters.length === 0 && confusables.length === 0) return null;
  const byKind = new Map<HiddenCharacterKind, string[]>();
  for (const h of hiddenCharacters) byKind.set(h.kind, [...(byKind.get(h.kind) ?? []), h.codePoint]);
  const smuggled = byKind.has("tag") ? tagText(text).filter((t) => t.trim() !== "") : [];
  return (
    <div role="alert" className="card warning" data-testid="hidden-chars-warning">
      <p>
        <strong>This description contains characters that hide or disguise text.</strong> What you read may not be what the text really says.
      </p>
      <ul>
        {[...byKind].map(([kind, codePoints]) => {
          const unique = [...new Set(codePoints)];
          return (
            <li key={kind} data-kind={kind}>
              {plural(codePoints.length, hiddenCharacterWords[kind].one, hiddenCharacterWords[kind].many).replace(/^./, (c) => c.toUpperCase())} ({unique.slice(0, 8).join(", ")}
              {unique.length > 8 ? `, and ${unique.length - 8} more` : ""})
            </li>
          );
        })}
        {confusables.map((c) => (
          <li key={c.word} data-kind="confusable">
            “{c.word}” mixes alphabets: {c.codePoints.join(", ")} {c.codePoints.length === 1 ? "looks" : "look"} like Latin letters
          </li>
        ))}
        {smuggled.map((t, i) => (
          <li key={`tag-${i}`}>
            The tag characters spell: <q>{t}</q>
          </li>
        ))}
      </ul>
      {hiddenCharacters.length > 0 && (
        <details>
          <summary>Show the text with hidden characters marked</summary>
          <pre>{revealHidden(text)}</pre>
        </details>
      )}
    </div>
  );
}

export function InvalidTextWarning({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <div role="alert" className="card warning" data-testid="invalid-text-warning">
      <p>
        <strong>
          This description contains {plural(count, "a sequence of bytes", "sequences of bytes")} that {count === 1 ? "is" : "are"} not valid text, shown as <span aria-label="replacement character">�</span>.
        </strong>{" "}
        Other programs may show {count === 1 ? "it" : "them"} differently, or drop {count === 1 ? "it" : "them"}.
      </p>
    </div>
  );
}
