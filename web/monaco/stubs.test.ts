/**
 * The build's stand-ins for Monaco modules (stubs.ts) against the installed
 * monaco-editor: every stubbed module exists, exports what its stand-in does,
 * and every name a module of the app's Monaco graph (what loadMonaco.ts
 * imports, bundled here with esbuild as the build bundles it) imports from it is
 * exported by the stand-in — so an upgrade that moves a module or starts using
 * another of its exports fails here, not in the browser.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { MONACO_STUBS, monacoStubFor } from './stubs.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const VS = join(ROOT, 'node_modules', 'monaco-editor', 'esm', 'vs');

function exportedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/export (?:async )?(?:class|function\*?|const|let|var) ([\w$]+)/g)) names.add(m[1]);
  for (const m of code.matchAll(/export \{([^}]*)\}/g)) for (const p of m[1].split(',')) if (p.trim()) names.add(p.trim().split(/\s+as\s+/).pop()!);
  return names;
}

/** The Monaco modules loadMonaco.ts reaches, with the stand-ins in place: path → its source. */
async function monacoGraph(): Promise<Map<string, string>> {
  const loader = readFileSync(join(import.meta.dirname, 'loadMonaco.ts'), 'utf8');
  const specs = [...loader.matchAll(/^import (?:[^'"]*from )?'(monaco-editor\/[^'?]+)'/gm)].map((m) => m[1]);
  expect(specs).toContain('monaco-editor/editor/editor.api');
  const r = await build({
    stdin: { contents: specs.map((s) => `import ${JSON.stringify(s)};`).join('\n'), resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    loader: { '.css': 'empty', '.ttf': 'empty' },
    plugins: [{ name: 'stubs', setup: (b) => b.onLoad({ filter: /\.js$/ }, (a) => { const c = monacoStubFor(a.path); return c === undefined ? undefined : { contents: c, loader: 'js' }; }) }],
  });
  const out = new Map<string, string>();
  for (const p of Object.keys(r.metafile.inputs)) {
    const abs = resolve(ROOT, p);
    if (abs.startsWith(VS) && monacoStubFor(abs) === undefined) out.set(abs, readFileSync(abs, 'utf8'));
  }
  return out;
}

describe('Monaco stand-ins', () => {
  let graph: Map<string, string>;

  it('the graph is bundled', async () => {
    graph = await monacoGraph();
    expect(graph.size).toBeGreaterThan(500);
  }, 120_000);

  for (const [path, stub] of Object.entries(MONACO_STUBS)) {
    it(`${path}: exists, and its stand-in exports every name the app's Monaco modules import from it`, () => {
      const real = join(VS, path);
      expect(existsSync(real)).toBe(true);
      const realNames = exportedNames(readFileSync(real, 'utf8'));
      const stubNames = exportedNames(stub);
      for (const n of stubNames) expect(realNames, `${n} is not exported by the real module`).toContain(n);
      let importers = 0;
      for (const [file, code] of graph) {
        for (const m of code.matchAll(/import\s*(?:\{([^}]*)\}|\*\s+as\s+\w+|(\w+))?\s*(?:from\s*)?['"]([^'"]+)['"]/g)) {
          if (!m[3].startsWith('.') || resolve(dirname(file), m[3]) !== real) continue;
          importers++;
          expect(m[2], `${file} imports a default export`).toBeUndefined();
          for (const p of (m[1] ?? '').split(',')) {
            const name = p.trim().split(/\s+as\s+/)[0];
            if (name) expect(stubNames, `${file.slice(VS.length)} imports ${name}`).toContain(name);
          }
        }
      }
      // still reached: a stand-in nothing imports any more is dead weight here
      expect(importers).toBeGreaterThan(0);
    });
  }

  it('is found by resolved module id, and only for those modules', () => {
    expect(monacoStubFor(join(VS, 'editor/browser/gpu/viewGpuContext.js'))).toBe(MONACO_STUBS['editor/browser/gpu/viewGpuContext.js']);
    expect(monacoStubFor(join(VS, 'editor/editor.api.js'))).toBeUndefined();
    expect(monacoStubFor('/x/web/monaco/stubs.ts')).toBeUndefined();
  });
});
