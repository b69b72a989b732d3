import { describe, expect, it, vi } from 'vitest';
import { parse } from '../parse/index.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { chainStructure } from './checks/chainStructure.ts';
import { CHECKS, FINDINGS } from './checks/index.ts';
import { errors, lintText } from './fixtures/lintText.ts';
import { lint } from './index.ts';
import { bigRuleset } from './fixtures/bigRuleset.ts';

describe('lint', () => {
  it('gives every finding an id, a one-line message, a why and a node', () => {
    const text = 'table ip t {\n\tchain c {\n\t\ttype nat hook forward priority raw; policy accept;\n\t\tjump nowhere\n\t\tmasquerade\n\t}\n}\n';
    const { found } = lintText(text);
    expect(found.length).toBeGreaterThan(2);
    for (const d of found) {
      expect(Object.keys(d).sort()).toEqual(expect.arrayContaining(['id', 'severity', 'message', 'why', 'nodeId', 'range']));
      expect(d.message).not.toMatch(/\n/);
      const sentences = (d.why ?? '').split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences, d.why).toBeGreaterThanOrEqual(2);
      expect(sentences, d.why).toBeLessThanOrEqual(4);
    }
  });

  it('orders findings by position when the text is known', () => {
    const text = 'table ip t {\n\tchain b {\n\t\tjump x\n\t}\n\n\tchain a {\n\t\ttype filter hook ingress priority filter; policy accept;\n\t}\n}\n';
    const lines = lintText(text).found.map((d) => d.range?.startLine ?? 0);
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
  });

  it('leaves ranges out without the source (the app maps node ids to lines)', () => {
    const r = parse('table ip t {\n\tchain c {\n\t\tjump x\n\t}\n}\n');
    const found = lint(r.ruleset);
    expect(found.length).toBeGreaterThan(0);
    for (const d of found) expect(d.range).toBeUndefined();
  });

  it('keeps going when a check throws, and says so', () => {
    const spy = vi.spyOn(chainStructure, 'run').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const found = lint(parse('table ip t {\n\tchain c {\n\t\tjump x\n\t}\n}\n').ruleset);
      expect(found.map((d) => d.id)).toEqual(expect.arrayContaining(['lint/internal', 'ref/undefined-chain']));
      expect(found.find((d) => d.id === 'lint/internal')?.severity).toBe('info');
    } finally {
      spy.mockRestore();
    }
  });

  it('has a catalogue of unique ids, each with one severity', () => {
    const ids = FINDINGS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(CHECKS.length).toBeGreaterThan(15);
  });

  it('reports no error on the templates', () => {
    for (const t of TEMPLATES) expect(errors(lintText(t.text).found).map((d) => d.message), t.id).toEqual([]);
  });

  // how fast: `npm run bench` prints the linter's time on 10k-rule files against a reference
  // measured in the same run; a timed assertion here would fail on a loaded machine
  it('lints a 10k-rule ruleset, with every finding placed in the text', () => {
    const { text, rules } = bigRuleset(10_000);
    const r = parse(text);
    const found = lint(r.ruleset, { source: { text, spans: r.spans, lines: r.lines } });
    expect(rules).toBe(10_000);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.range === undefined || (d.range.startLine >= 1 && d.range.startLine <= text.split("\n").length))).toBe(true);
  });

  it('every rule with a finding: all 10,000 found, each with its range', () => {
    const lines = ['table ip t {', '\tchain c {', '\t\ttype filter hook input priority filter; policy accept;'];
    for (let i = 0; i < 10_000; i++) lines.push(`\t\ttcp dport ${i} jump missing${i}`);
    lines.push('\t}', '}', '');
    const text = lines.join('\n');
    const r = parse(text);
    const found = lint(r.ruleset, { source: { text, spans: r.spans, lines: r.lines } });
    expect(found.filter((d) => d.id === 'ref/undefined-chain').length).toBe(10_000);
    expect(found.every((d) => d.range)).toBe(true);
  });
});
