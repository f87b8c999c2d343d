import type { Element, ElementContent, Root } from "hast";
import { toJsxRuntime, type ExtraProps, type Jsx } from "hast-util-to-jsx-runtime";
import { useMemo, type ComponentProps } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";

/**
 * Renders a description's tree from `renderDescription` (@ai-dao/description), the one Markdown
 * pipeline the analyst judges too. The tree is already safe: no raw HTML, no images (they arrive as
 * links labelled "Image: …"), only http(s) and mailto links, bounded depth. This component turns it
 * into React elements (never innerHTML) and marks every link as leaving the app.
 */
export function Markdown({ tree, topHeading }: { tree: Root; topHeading: number }) {
  const content = useMemo(
    () => toJsxRuntime(labelControlPictures(demoteHeadings(tree, topHeading)), { Fragment, jsx: jsx as Jsx, jsxs: jsxs as Jsx, components: { a: ExternalLink }, passNode: true }),
    [tree, topHeading],
  );
  return (
    <div className="markdown" data-testid="description">
      {content}
    </div>
  );
}

const HEADING = /^h([1-6])$/;

function headingLevels(node: Root | Element): number[] {
  return node.children.flatMap((child) => (child.type !== "element" ? [] : [...(HEADING.test(child.tagName) ? [Number(child.tagName[1])] : []), ...headingLevels(child)]));
}

/**
 * The page has its own title (the one h1) and puts the description under a heading of its own, so
 * the description's headings move down together: its highest becomes `top` (a "# Title" under the
 * section's h2 becomes an h3), the others keep their distance from it, none goes past h6.
 */
export function demoteHeadings<T extends Root | Element>(node: T, top: number): T {
  const levels = headingLevels(node);
  if (levels.length === 0) return node;
  const shift = Math.max(0, top - Math.min(...levels));
  if (shift === 0) return node;
  const demote = <N extends Root | Element>(n: N): N => ({
    ...n,
    children: n.children.map((child) => {
      if (child.type !== "element") return child;
      const level = HEADING.exec(child.tagName)?.[1];
      return { ...demote(child), ...(level ? { tagName: `h${Math.min(6, Number(level) + shift)}` } : {}) };
    }),
  });
  return demote(node);
}

const CONTROL_NAMES = ["NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"];
const CONTROL_PICTURE = /[\u2400-\u241F\u2421]/;

/** The name of the control character a control picture (␀ for NUL) stands for. */
export function controlName(picture: string): string {
  const code = picture.charCodeAt(0);
  return code === 0x2421 ? "DEL" : (CONTROL_NAMES[code - 0x2400] ?? "control");
}

/**
 * The pipeline shows control characters as control pictures (NUL as ␀). Few fonts draw those, so
 * each is wrapped in a labelled span that CSS shows as a small "NUL" badge; the text stays ␀.
 */
function labelControlPictures<T extends Root | Element>(node: T): T {
  const children: ElementContent[] = [];
  for (const child of node.children as ElementContent[]) {
    if (child.type === "element") children.push(labelControlPictures(child));
    else if (child.type === "text" && CONTROL_PICTURE.test(child.value)) {
      for (const part of child.value.split(/([\u2400-\u241F\u2421])/)) {
        if (part === "") continue;
        if (CONTROL_PICTURE.test(part)) {
          const name = controlName(part);
          children.push({ type: "element", tagName: "span", properties: { className: ["control-char"], dataName: name, title: `${name} control character` }, children: [{ type: "text", value: part }] });
        } else children.push({ type: "text", value: part });
      }
    } else children.push(child);
  }
  return { ...node, children };
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
