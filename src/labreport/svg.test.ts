import { describe, expect, it } from 'vitest';
import { el, escapeXml, serializeSvg, type SvgNode } from './svg.ts';

describe('serializeSvg', () => {
  it('writes a tree as markup, with the namespace on the root', () => {
    const svg = el('svg', { viewBox: '0 0 10 10', width: '100%', role: 'img' }, [el('title', {}, 'T'), el('line', { x1: 0, y1: 1.234, x2: 10, y2: 1 })]);
    expect(serializeSvg(svg)).toBe('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100%" role="img"><title>T</title><line x1="0" y1="1.23" x2="10" y2="1"></line></svg>');
  });

  it('escapes every text and attribute value: a hostile label stays text', () => {
    const hostile = '</text></svg><script>alert("x")</script>&amp;\'';
    const out = serializeSvg(el('svg', { 'aria-label': hostile }, [el('text', { x: 1 }, hostile)]));
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('</svg><');
    expect(out).toContain('&lt;/text&gt;&lt;/svg&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;&#39;');
    expect(out.match(/<\/svg>/g)).toHaveLength(1);
  });

  it('refuses tags and attribute names a chart has no use for', () => {
    expect(() => serializeSvg({ tag: 'script' as 'g', attrs: {} })).toThrow(/tag "script"/);
    expect(() => serializeSvg({ tag: 'foreignObject' as 'g', attrs: {} })).toThrow(/not allowed/);
    for (const name of ['onload', 'onclick', 'href', 'xlink:href', 'style', 'x"y', 'a b', 'src']) {
      expect(() => serializeSvg(el('g', { [name]: '1' })), name).toThrow(/not allowed/);
    }
  });

  it('refuses numbers that are not finite', () => {
    expect(() => serializeSvg(el('circle', { r: NaN }))).toThrow(/finite/);
    expect(() => serializeSvg(el('circle', { r: Infinity }))).toThrow(/finite/);
  });

  it('drops undefined attributes', () => {
    expect(serializeSvg(el('line', { x1: 1, 'stroke-dasharray': undefined }))).toBe('<line x1="1"></line>');
  });

  it('a deep tree does not overflow the stack', () => {
    let n: SvgNode = el('g', {});
    for (let i = 0; i < 50_000; i++) n = el('g', {}, [n]);
    expect(serializeSvg(n).length).toBeGreaterThan(50_000 * 7);
  });

  it('escapeXml covers the five characters', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
});
