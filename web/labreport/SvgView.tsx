/**
 * A chart's element tree (src/labreport/svg.ts) as React elements: the same tree the
 * standalone page serializes. Text stays text (React escapes it); tags and attribute
 * names are checked against the same lists as the serializer, so nothing from a
 * report can become markup or an event handler.
 */
import { createElement, type ReactElement } from 'react';
import { SVG_TAGS, checkAttrName, type SvgNode } from '../../src/labreport/svg.ts';

/** `stroke-width` → `strokeWidth`; aria-*, data-* and role stay as they are. */
export function reactAttrName(name: string): string {
  if (name.startsWith('aria-') || name.startsWith('data-') || name === 'role') return name;
  if (name === 'class') return 'className';
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function svgToReact(node: SvgNode, key?: number): ReactElement {
  if (!(SVG_TAGS as readonly string[]).includes(node.tag)) throw new Error(`tag ${JSON.stringify(node.tag)} is not allowed in a chart`);
  const props: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(node.attrs)) {
    checkAttrName(k);
    props[reactAttrName(k)] = v;
  }
  if (key !== undefined) props.key = key;
  const children = node.text !== undefined ? [node.text] : (node.children ?? []).map((c, i) => svgToReact(c, i));
  return createElement(node.tag, props, ...children);
}

export function SvgView({ node }: { node: SvgNode }) {
  return svgToReact(node);
}
