import type { Element, ElementContent, Root } from "hast";
import { toJsxRuntime, type ExtraProps, type Jsx } from "hast-util-to-jsx-runtime";
import type { ComponentProps } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";

/**
 * Renders a description's tree from `renderDescription` (@ai-dao/description), the one Markdown
 * pipeline the analyst judges too. The tree is already safe: no raw HTML, no images (they arrive as
 * links labelled "Image: …"), only http(s) and mailto links, bounded depth. This component turns it
 * into React elements (never innerHTML) and marks every link as leaving the app.
 */
export function Markdown({ tree }: { tree: Root }) {
  return (
    <div className="markdown" data-testid="description">
      {toJsxRuntime(tree, { Fragment, jsx: jsx as Jsx, jsxs: jsxs as Jsx, components: { a: ExternalLink }, passNode: true })}
    </div>
  );
}

function textOf(nodes: ElementContent[]): string {
  return nodes.map((n) => (n.type === "text" ? n.value : n.type === "element" ? textOf(n.children) : "")).join("");
}

/** Where a link goes, in a reader's words: the host of a web link, the address of a mailto link. */
export function destinationOf(href: string): string {
  try {
    const url = new URL(href);
    return url.protocol === "mailto:" ? decodeURIComponent(url.pathname) : url.host;
  } catch {
    return href;
  }
}

/**
 * A link out of the app: opens in a new tab without telling the other site where the reader came
 * from (the tree's rel="noopener noreferrer nofollow"), and says so with a visible ↗ and the
 * destination, because a link's text can name one site and point to another.
 */
function ExternalLink({ node, href, children, ...rest }: ComponentProps<"a"> & ExtraProps) {
  const element = node as Element | undefined;
  const image = element?.properties.dataImage !== undefined;
  const destination = href ? destinationOf(href) : "";
  const shown = element ? textOf(element.children) : "";
  const named = destination !== "" && shown.toLowerCase().includes(destination.toLowerCase());
  return (
    <a {...rest} href={href} rel="noopener noreferrer nofollow" target="_blank" className={image ? "external image-link" : "external"} title={href}>
      {children}
      {image && <span className="link-note"> (not loaded)</span>}
      <span className="link-note" aria-hidden="true">
        {" "}↗{named ? "" : ` ${destination}`}
      </span>
      <span className="sr-only">{` (opens ${destination || "another site"} in a new tab, outside this app)`}</span>
    </a>
  );
}
