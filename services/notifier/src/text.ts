// Chain data is hostile: titles, descriptions, reasons and summaries are written by whoever
// proposes, votes or publishes. Every piece of it goes through `untrusted` (hidden and bidi
// characters removed with the platform's one detector, whitespace folded, length capped) and then
// through the escape of the format it lands in. Nothing from the chain is ever markup.
import { stripHidden } from "@ai-dao/description";

/** Hidden characters out (the description package's detector), line breaks folded, length capped. */
export function untrusted(text: string | null | undefined, max: number): string {
  if (text === null || text === undefined) return "";
  const visible = stripHidden(text)
    .replace(/[\r\n\t\u2028\u2029]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
  return cap(visible, max);
}

/** A proposal title: the description's first line without its Markdown heading marks. */
export function untrustedTitle(title: string | null | undefined, max = 120): string {
  const text = untrusted(title, max * 2).replace(/^#{1,6}\s+/, "");
  return cap(text === "" ? "(untitled)" : text, max);
}

/** At most `max` characters (code points, never a split surrogate pair), `…` when cut. */
export function cap(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** HTML text and attribute values (email, Telegram's HTML mode). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Telegram's HTML parse mode accepts only &lt; &gt; &amp; &quot; as entities. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Discord Markdown: every formatting character backslash-escaped (bold, italics, strike, spoilers,
 * code, quotes, headings, lists, masked links), and `@` / `#` / `<` mentions broken so they never
 * ping (the payload also sets allowed_mentions to none).
 */
export function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|>#\-\[\]()<:@!.+=]/g, (ch) => `\\${ch}`);
}

/**
 * Slack mrkdwn: `&`, `<` and `>` as entities, so no link, mention or `<!channel>` can be formed.
 * Slack has no escape for `*`, `_` or `~`, so untrusted text goes into plain_text blocks, and only
 * the notification fallback (`text`) carries this escaped copy.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A mail header value: no line breaks (header injection), hidden characters out, capped. */
export function headerText(text: string, max = 200): string {
  return untrusted(text, max);
}
