/**
 * A script written with its `#` comments loads into the real nft — Debian 12's
 * 1.0.6 and Debian 13's 1.1.3 — and lists exactly what the same design lists
 * without them: the comments are comments to nft, in every place the emitter
 * writes them (file header with a shebang, above and after nodes, on a block's
 * "{" and "}" lines, before a "}", above an elements line), also when their
 * text holds "}", ";", quotes or `flush ruleset`. A comment line that tries to
 * hold a line break is written as one line all the same.
 */
import { expect, it } from 'vitest';
import { emit, emitUnchecked } from './index.ts';
import { parse } from '../parse/index.ts';
import type { Ruleset } from '../model/types.ts';
import { describeKernel } from '../testing/kernel.ts';
import { NFT_113, nft113Unavailable, nftInNamespace } from '../testing/nft.ts';

const SCRIPT = `#!/usr/sbin/nft -f
# a hand-written firewall; nothing here is for nft

# the filter table
table inet filter { # main
	# the table's own lines
	comment "the filter"

	# a named counter
	counter hits { # hits
		# the numbers
		packets 0 bytes 0
		# before its end
	} # after hits

	set blocked {
		type ipv4_addr
		flags interval
		# private ranges } ; flush ruleset
		elements = {
			10.0.0.0/8, # ten
			192.168.0.0/16 # "quoted
		}
	}

	chain input { # from outside
		# drop by default
		type filter hook input priority filter; policy drop;

		# loopback
		iif "lo" accept
		tcp dport {
			22, # ssh
			443
		} counter name "hits" accept # } } ; table inet x { chain y {
		ip saddr @blocked drop comment "# in quotes"

		# to do
	} # input
	# the end of the table
}
# the end of the file
`;

function design(): Ruleset {
  const r = parse(SCRIPT);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ruleset;
}

describeKernel('a script with # comments', () => {
  const rs = design();
  const withComments = emit(rs).text;
  const bare = emit(rs, { comments: false }).text;

  it('keeps them all (and is a fixed point of the core)', () => {
    const lines = withComments.split('\n').filter((l) => l.trimStart().startsWith('#') || / # /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(20);
    expect(withComments.startsWith('#!/usr/sbin/nft -f\n')).toBe(true);
    expect(emit(parse(withComments).ruleset).text).toBe(withComments);
    expect(bare).not.toMatch(/^\s*#/m);
  });

  it('loads into nft 1.0.6 and lists what the design without comments lists', () => {
    const a = nftInNamespace(withComments, { after: ['list ruleset'] });
    expect(a.ok, a.stderr).toBe(true);
    const b = nftInNamespace(bare, { after: ['list ruleset'] });
    expect(b.ok, b.stderr).toBe(true);
    expect(a.stdout).toBe(b.stdout);
    // and that listing is the core's own, without comments
    expect(a.stdout).toBe(bare);
  });

  it('loads into nft 1.1.3 the same way', (ctx) => {
    const missing = nft113Unavailable();
    if (missing && process.env.CI === 'true') throw new Error(missing);
    if (missing) {
      console.warn(`\n*** nft 1.1.3 TEST SKIPPED (it runs in CI, where this is a failure): ${missing} ***\n`);
      ctx.skip();
    }
    const a = nftInNamespace(withComments, { nft: NFT_113, after: ['list ruleset'] });
    expect(a.ok, a.stderr).toBe(true);
    const b = nftInNamespace(bare, { nft: NFT_113, after: ['list ruleset'] });
    expect(b.ok, b.stderr).toBe(true);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('\t\ttcp dport { 22, 443 } counter name "hits" accept\n');
  });

  it('a comment that tries to hold a line break stays one comment line: nothing is smuggled in', () => {
    const hostile = structuredClone(rs);
    const rule = hostile.tables[0].chains[0].rules[0];
    rule.hashComments = { above: ['# one\n}\n}\nflush ruleset\ntable ip evil {'], inline: 'not a comment\ntable ip evil2 { }' };
    expect(() => emit(hostile)).toThrow(/one line/);
    const text = emitUnchecked(hostile).text;
    const run = nftInNamespace(text, { after: ['list ruleset'] });
    expect(run.ok, run.stderr).toBe(true);
    expect(run.stdout).toBe(bare);
    expect(run.stdout).not.toContain('evil');
  });
});
