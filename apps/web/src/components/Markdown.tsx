import ReactMarkdown from "react-markdown";

/**
 * Renders untrusted Markdown. react-markdown builds React elements from the Markdown syntax tree
 * and never uses innerHTML; raw HTML in the source is not rendered (no rehype-raw), and its default
 * URL transform drops javascript: and other unsafe link targets. So a <script> or an onerror
 * attribute in a description is shown as text or dropped, never run.
 */
export function Markdown({ source }: { source: string }) {
  return (
    <div className="markdown" data-testid="description">
      <ReactMarkdown skipHtml>{source}</ReactMarkdown>
    </div>
  );
}
