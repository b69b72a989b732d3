/**
 * A chart is a small element tree, not markup: the chart builders return SvgNodes,
 * the standalone page serializes them with serializeSvg (which escapes every text
 * and attribute value), and the app maps them to React elements. Neither ever
 * parses a string as markup, so a hostile string in a report stays text.
 */

/** The tags a chart may use (anything else is refused by both consumers). */
export const SVG_TAGS = ['svg', 'g', 'title', 'desc', 'line', 'polyline', 'path', 'rect', 'circle', 'text', 'tspan'] as const;
export type SvgTag = (typeof SVG_TAGS)[number];

/** Attribute names: SVG presentation attributes in their markup spelling (`stroke-width`), aria-*, role, id, class. */
export const SVG_ATTR_NAME = /^(?:[a-z][a-z0-9-]*|viewBox|preserveAspectRatio)$/;
/** Attributes never allowed, whatever their value: event handlers, links, inline styles. */
const FORBIDDEN_ATTR = /^(?:on|href$|xlink|style$|src$)/i;

export interface SvgNode {
  tag: SvgTag;
  attrs: Record<string, string | number>;
  children?: SvgNode[];
  /** text content (title, desc, text, tspan); escaped when serialized */
  text?: string;
}

export function el(tag: SvgTag, attrs: Record<string, string | number | undefined>, children?: SvgNode[] | string): SvgNode {
  const clean: Record<string, string | number> = {};
  // numbers rounded here, once: the serializer and the React mapper show the same values
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) / 100 : v;
  return typeof children === 'string' ? { tag, attrs: clean, text: children } : children ? { tag, attrs: clean, children } : { tag, attrs: clean };
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

export function checkAttrName(name: string): void {
  if (!SVG_ATTR_NAME.test(name) || FORBIDDEN_ATTR.test(name)) throw new Error(`attribute ${JSON.stringify(name)} is not allowed in a chart`);
}

function attrValue(v: string | number): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('a chart attribute is not a finite number');
    return String(Math.round(v * 100) / 100);
  }
  return escapeXml(v);
}

/** Markup for a node tree: every text and attribute value escaped, tags and attribute names checked. No recursion (depth is the tree's). */
export function serializeSvg(root: SvgNode): string {
  const out: string[] = [];
  const stack: (SvgNode | string)[] = [root];
  while (stack.length) {
    const n = stack.pop() as SvgNode | string;
    if (typeof n === 'string') {
      out.push(n);
      continue;
    }
    if (!(SVG_TAGS as readonly string[]).includes(n.tag)) throw new Error(`tag ${JSON.stringify(n.tag)} is not allowed in a chart`);
    let open = `<${n.tag}`;
    if (n.tag === 'svg') open += ' xmlns="http://www.w3.org/2000/svg"';
    for (const [k, v] of Object.entries(n.attrs)) {
      checkAttrName(k);
      open += ` ${k}="${attrValue(v)}"`;
    }
    out.push(`${open}>`);
    stack.push(`</${n.tag}>`);
    if (n.text !== undefined) stack.push(escapeXml(n.text));
    if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out.join('');
}

/** All text in a tree (titles, labels), for tests and summaries. */
export function textOf(root: SvgNode): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop() as SvgNode;
    if (n.text !== undefined) out.push(n.text);
    if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

/** Every node of a tree matching `pred`, in document order. */
export function findAll(root: SvgNode, pred: (n: SvgNode) => boolean): SvgNode[] {
  const out: SvgNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop() as SvgNode;
    if (pred(n)) out.push(n);
    if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}
