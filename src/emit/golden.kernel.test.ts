/**
 * The emitter and parser against the real nft (inside `unshare -n`): golden
 * files list back byte for byte, what we print loads into the same kernel
 * state as the original, and Debian's shipped examples survive
 * parse → emit → load.
 */
import { expect, it } from 'vitest';
import { parse } from '../parse/index.ts';
import { emit } from './index.ts';
import { describeKernel } from '../testing/kernel.ts';
import { loadAndList, normaliseJsonListing } from '../testing/nft.ts';
import { DEBIAN_REFUSED, NOT_FIXED_POINTS, debianExamples, goldenCases } from '../testing/golden.ts';
import { TEMPLATES } from '../templates/catalog.ts';

function fmt(text: string): string {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return emit(r.ruleset).text;
}

function listText(script: string): string {
  const r = loadAndList(script);
  expect(r.ok, r.stderr).toBe(true);
  return r.stdout;
}

/** The message of nft's first error, without the file:line:col part. */
function errorText(stderr: string): string {
  return /Error: (.*)/.exec(stderr)?.[1] ?? stderr.trim();
}

function listJson(script: string): unknown {
  const r = loadAndList(script, { listJson: true });
  expect(r.ok, r.stderr).toBe(true);
  return normaliseJsonListing(r.stdout);
}

describeKernel('golden files in the kernel', () => {
  for (const g of goldenCases()) {
    it(`${g.name}.nft is nft's own listing: it loads and lists back byte for byte`, () => {
      expect(listText(g.listing)).toBe(g.listing);
    });
    if (g.input !== undefined) {
      const input = g.input;
      it(`${g.name}.in.nft lists as ${g.name}.nft, and fmt of it loads into the same state`, () => {
        const first = listText(input);
        if (g.name in NOT_FIXED_POINTS) {
          expect(first).not.toBe(g.listing);
          expect(listText(first)).toBe(g.listing);
          expect(listJson(fmt(input))).toEqual(listJson(g.listing));
        } else {
          expect(first).toBe(g.listing);
          expect(listJson(fmt(input))).toEqual(listJson(input));
        }
      });
    }
  }
});

describeKernel('templates in the kernel', () => {
  for (const t of TEMPLATES) {
    it(`${t.id} loads and lists back byte for byte`, () => {
      expect(listText(t.text)).toBe(t.text);
    });
  }
});

describeKernel("Debian's nftables examples", () => {
  const examples = debianExamples();
  it('are installed', () => {
    expect(examples.length).toBeGreaterThan(10);
  });
  for (const ex of examples) {
    const original = loadAndList(ex.text, { listJson: true });
    if (!original.ok) {
      // This kernel rejects some examples (no SELinux for secmark, a nat chain at priority
      // -300, a relative include, deleting a table that does not exist): what we print
      // must then be rejected with the same error.
      const reason = errorText(original.stderr);
      it(`${ex.name}: rejected by this kernel ("${reason}"), and so is what we print`, () => {
        expect(Object.keys(DEBIAN_REFUSED)).toContain(ex.name);
        const r = parse(ex.text, { file: ex.name });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const again = loadAndList(emit(r.ruleset).text);
        expect(again.ok).toBe(false);
        if (!r.ruleset.includes.length) expect(errorText(again.stderr)).toBe(reason);
      });
      continue;
    }
    it(`${ex.name}: parse → emit loads into the same kernel state`, () => {
      const r = parse(ex.text, { file: ex.name });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (r.ruleset.includes.length) {
        // all-in-one.nft only includes other files; the browser cannot follow includes
        expect(r.diagnostics.some((d) => d.id === 'parse/include')).toBe(true);
        return;
      }
      expect(listJson(emit(r.ruleset).text)).toEqual(normaliseJsonListing(original.stdout));
    });
    it(`${ex.name}: its nft listing comes back from fmt byte for byte`, () => {
      const listing = listText(ex.text);
      expect(fmt(listing)).toBe(listing);
    });
  }
});

describeKernel('synproxy: the listing of mss without wscale changes meaning', () => {
  it('nft lists `synproxy mss 1460` as `mss 1460 wscale 0`, which loads differently; emit keeps what was designed', () => {
    const designed = 'table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tsynproxy mss 1460\n\t}\n}\n';
    const listed = listText(designed);
    expect(listed).toContain('synproxy mss 1460 wscale 0');
    expect(listJson(listed)).not.toEqual(listJson(designed));
    expect(fmt(designed)).toBe(designed);
  });
});
