/** The Export dialog's script: with the design's # comments, or "Without # comments" (nft's listing). */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { exportScript, hasHashComments } from './exportScript.ts';

const IMPORTED = '#!/usr/sbin/nft -f\n# web server\n\ntable inet web { # ours\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\t# the site\n\t\ttcp dport { 80, 443 } accept # http(s)\n\t}\n}\n';

describe('export without # comments', () => {
  const rs = parse(IMPORTED).ruleset;

  it('the script keeps the comments by default, with the chosen preamble', () => {
    const out = exportScript(rs, { preamble: 'replace', comments: true });
    expect(out.problems).toEqual([]);
    expect(out.text).toBe(
      '#!/usr/sbin/nft -f\n# web server\n\ntable inet web\ndelete table inet web\ntable inet web { # ours\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\t# the site\n\t\ttcp dport { 80, 443 } accept # http(s)\n\t}\n}\n',
    );
  });

  it('"Without # comments" gives the same script with no comment left', () => {
    const out = exportScript(rs, { preamble: 'replace', comments: false });
    expect(out.problems).toEqual([]);
    expect(out.text).toBe('table inet web\ndelete table inet web\ntable inet web {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport { 80, 443 } accept\n\t}\n}\n');
    expect(out.text).not.toContain('#');
  });

  it('knows whether a design has comments at all', () => {
    expect(hasHashComments(rs)).toBe(true);
    for (const t of TEMPLATES) expect(hasHashComments(parse(t.text).ruleset), t.id).toBe(false);
  });

  it('a comment that is not one line is refused with words, never written', () => {
    const bad = structuredClone(rs);
    bad.tables[0].chains[0].rules[0].hashComments = { inline: '# x\nflush ruleset' };
    const out = exportScript(bad, { preamble: 'none', comments: true });
    expect(out.text).toBe('');
    expect(out.problems).toEqual(['a # comment is one line: no line break or control character in it (hashComments.inline)']);
    // leaving the comments out leaves nothing to refuse
    expect(exportScript(bad, { preamble: 'none', comments: false }).problems).toEqual([]);
  });
});
