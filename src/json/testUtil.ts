/** Helpers shared by the JSON tests (not used at run time). */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../parse/index.ts';
import type { Ruleset } from '../model/types.ts';
import { toJson, type ToJsonResult } from './toJson.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The rulesets of the corpus (`*.nft` written by hand, not the captured listings). */
export function corpusNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.nft') && !f.endsWith('.listing.nft'))
    .map((f) => f.replace(/\.nft$/, ''))
    .sort();
}

/** parse, failing loudly on parse errors (the corpus must parse cleanly). */
export function parsed(text: string): Ruleset {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`parse errors: ${errors.map((d) => `${d.range?.startLine}: ${d.message}`).join('; ')}`);
  return r.ruleset;
}

/** The items of toJson's document without the metainfo element. */
export function jsonItems(text: string, targetVersion?: string): { items: unknown[]; result: ToJsonResult } {
  const result = toJson(parsed(text), targetVersion ? { targetVersion } : {});
  const doc = JSON.parse(result.json) as { nftables: unknown[] };
  return { items: doc.nftables.filter((o) => !(o && typeof o === 'object' && 'metainfo' in o)), result };
}

/** The rule statements (the `expr` arrays) of a document's items, in order. */
export function ruleExprs(items: unknown[]): unknown[] {
  return items.flatMap((o) => {
    const rule = (o as { rule?: { expr: unknown } }).rule;
    return rule ? [rule.expr] : [];
  });
}
