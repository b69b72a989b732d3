/**
 * Where the corpus comes from, and its cases. Nothing of nftables' (GPL) test
 * files is in this repository: scripts/ensure-nft-corpus.sh unpacks Debian's
 * nftables source package into CORPUS_PREFIX (tests/py, tests/shell, doc/,
 * files/examples), and Debian's binary packages bring the man pages and
 * /usr/share/doc/nftables/examples for each nft version.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parsePyTest, pyRuleScript } from './pyTests.ts';

export const CORPUS_PREFIX = process.env.NFT_CORPUS_PREFIX ?? '/opt/nft-designer/nft-corpus';
/** Debian 13's nft 1.1.3 unpacked by scripts/ensure-nft-1.1.3.sh (its man pages and examples) */
const NFT_113_PREFIX = process.env.NFT_113_PREFIX ?? '/opt/nft-designer/nft-1.1.3';

export type CaseSource = 'py' | 'shell' | 'debian' | 'man';

export interface Case {
  id: string;
  source: CaseSource;
  /** the script nft loads with `nft -f` */
  text: string;
  /**
   * py cases: the .t file. Every py case has its own table (unique names), so
   * the cases of one group load together in one `nft -f`, and all groups side by
   * side in one ruleset; a refused group is split until each case is alone
   */
  group?: string;
  /** py cases: the one table the case's listing is */
  table?: { family: string; name: string };
}

/** Why the upstream test suites are not here, or undefined. */
export function corpusUnavailable(): string | undefined {
  for (const d of ['tests/py', 'tests/shell']) {
    if (!existsSync(join(CORPUS_PREFIX, d))) return `nftables' ${d} is not in ${CORPUS_PREFIX} (scripts/ensure-nft-corpus.sh unpacks it)`;
  }
  return undefined;
}

/** The nftables version of the unpacked sources (its VERSION file). */
export function corpusVersion(): string | undefined {
  const f = join(CORPUS_PREFIX, 'VERSION');
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : undefined;
}

function walk(dir: string, keep: (path: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

/** One case per rule and table of every tests/py `.t` file. */
export function pyCases(root = join(CORPUS_PREFIX, 'tests/py')): Case[] {
  const cases: Case[] = [];
  // table names unique over the whole corpus: all py cases can be loaded side by side
  let n = 0;
  for (const path of walk(root, (p) => p.endsWith('.t'))) {
    const rel = relative(root, path);
    const file = parsePyTest(readFileSync(path, 'utf8'));
    const seen = new Map<string, number>();
    for (const rule of file.rules) {
      for (const table of rule.tables) {
        const base = `py/${rel}@${table.family}/${table.name}: ${rule.rule}`;
        const k = (seen.get(base) ?? 0) + 1;
        seen.set(base, k);
        const name = `${table.name}-${++n}`;
        cases.push({
          id: k === 1 ? base : `${base} #${k}`,
          source: 'py',
          text: pyRuleScript(file, rule, table, name),
          group: `py/${rel}`,
          table: { family: table.family, name },
        });
      }
    }
  }
  return cases;
}

/** Each tests/shell `dumps/*.nft`: a whole ruleset. */
export function shellCases(root = join(CORPUS_PREFIX, 'tests/shell/testcases')): Case[] {
  return walk(root, (p) => p.endsWith('.nft') && dirname(p).endsWith('/dumps')).map((p) => ({
    id: `shell/${relative(root, p)}`,
    source: 'shell' as const,
    text: readFileSync(p, 'utf8'),
  }));
}

/** Debian's examples (each version's package, and the sources' files/examples), identical texts once. */
export function debianCases(): Case[] {
  const dirs: [string, string][] = [
    ['debian-1.0.6', '/usr/share/doc/nftables/examples'],
    ['debian-1.1.3', join(NFT_113_PREFIX, 'usr/share/doc/nftables/examples')],
    ['upstream', join(CORPUS_PREFIX, 'files/examples')],
  ];
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const [tag, dir] of dirs) {
    for (const p of walk(dir, (f) => f.endsWith('.nft'))) {
      const text = readFileSync(p, 'utf8');
      if (seen.has(text)) continue;
      seen.add(text);
      cases.push({ id: `${tag}/${relative(dir, p)}`, source: 'debian', text });
    }
  }
  return cases;
}

/** roff of a man page's example block as text */
function unroff(line: string): string {
  return line
    .replace(/\\f[BIRP]/g, '')
    .replace(/\\&/g, '')
    .replace(/\\-/g, '-')
    .replace(/\\\(aq/g, "'")
    .replace(/\\\*\(Aq/g, "'")
    .replace(/\\\(dq/g, '"')
    .replace(/\\\(rs/g, '\\')
    .replace(/\\e/g, '\\')
    .replace(/\\~/g, ' ')
    .replace(/\\ /g, ' ');
}

/** A block that is a whole ruleset: tables (and comments), its braces balanced, nothing elided. */
export function wholeRuleset(block: string): boolean {
  const lines = block.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  if (!lines.length || !/^table\s/.test(lines[0])) return false;
  if (block.includes('...') || block.includes('…')) return false;
  let depth = 0;
  for (const l of lines) {
    if (depth === 0 && !/^(table|flush ruleset|define)\s/.test(l)) return false;
    for (const c of l) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (depth < 0) return false;
    }
  }
  return depth === 0;
}

/** The `.nf` … `.fi` example blocks of the nft man pages that are whole rulesets. */
export function manCases(): Case[] {
  const pages: [string, string][] = [
    ['man-1.0.6', '/usr/share/man/man8/nft.8.gz'],
    ['man-1.1.3', join(NFT_113_PREFIX, 'usr/share/man/man8/nft.8.gz')],
  ];
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const [tag, page] of pages) {
    if (!existsSync(page)) continue;
    const roff = gunzipSync(readFileSync(page)).toString('utf8').split('\n');
    let block: string[] | undefined;
    for (const line of roff) {
      if (line === '.nf') block = [];
      else if (line === '.fi' && block) {
        const text = block.join('\n') + '\n';
        block = undefined;
        if (!wholeRuleset(text) || seen.has(text)) continue;
        seen.add(text);
        const head = /^table\s+(\S+)(?:\s+(\S+))?/m.exec(text);
        const name = head ? (head[2] && head[2] !== '{' ? `${head[1]} ${head[2]}` : head[1]) : 'ruleset';
        let id = `${tag}/nft.8: table ${name}`;
        for (let k = 2; cases.some((c) => c.id === id); k++) id = `${tag}/nft.8: table ${name} #${k}`;
        cases.push({ id, source: 'man', text });
      } else if (block && !line.startsWith('.')) block.push(unroff(line));
    }
  }
  return cases;
}

/** Every case: py rules, shell dumps, Debian's examples, the man pages' rulesets. */
export function allCases(): Case[] {
  const upstream = corpusUnavailable() ? [] : [...pyCases(), ...shellCases()];
  return [...upstream, ...debianCases(), ...manCases()];
}
