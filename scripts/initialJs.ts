// Initial JavaScript of the built app: the entry chunk and every chunk it imports
// statically (what the browser must load before first paint), gzip-compressed.
// Usage: npx tsx scripts/initialJs.ts [distDir]   (needs a build with manifest)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
}

export interface InitialJs {
  files: { file: string; raw: number; gzip: number }[];
  total: number;
  lazy: { file: string; gzip: number; name?: string }[];
  /**
   * What a lazily loaded module (`src`, e.g. 'preview/Preview.tsx') brings beyond
   * the initial JavaScript: its chunk and every chunk it imports statically.
   */
  lazyClosure(src: string): { files: { file: string; gzip: number; name?: string }[]; total: number };
}

export function initialJs(dist = 'dist'): InitialJs {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const entry = Object.values(manifest).find((c) => c.isEntry);
  const seen = new Set<string>();
  const closure = (key: string | undefined, into: Set<string>): void => {
    if (key === undefined) return;
    const c = manifest[key] ?? Object.values(manifest).find((x) => x.file === key);
    if (!c || into.has(c.file)) return;
    into.add(c.file);
    for (const i of c.imports ?? []) closure(i, into);
  };
  closure(Object.keys(manifest).find((k) => manifest[k] === entry), seen);
  const files = [...seen].map((f) => {
    const buf = readFileSync(join(dist, f));
    return { file: f, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  });
  const lazy = Object.values(manifest)
    .filter((c) => c.file.endsWith('.js') && !seen.has(c.file))
    .map((c) => ({ file: c.file, name: c.name, gzip: gzipSync(readFileSync(join(dist, c.file)), { level: 9 }).length }));
  const lazyClosure = (src: string): { files: { file: string; gzip: number; name?: string }[]; total: number } => {
    const key = Object.keys(manifest).find((k) => k === src || manifest[k].src === src);
    if (key === undefined) throw new Error(`${src} is not in the build's manifest`);
    const reached = new Set<string>();
    closure(key, reached);
    const out = lazy.filter((f) => reached.has(f.file));
    return { files: out, total: out.reduce((n, f) => n + f.gzip, 0) };
  };
  return { files, total: files.reduce((n, f) => n + f.gzip, 0), lazy, lazyClosure };
}

if (/initialJs\.ts$/.test(process.argv[1] ?? '')) {
  const r = initialJs(process.argv[2] ?? 'dist');
  for (const f of r.files) console.log(`${(f.gzip / 1024).toFixed(1).padStart(7)} KiB gzip  ${f.file}`);
  console.log(`${(r.total / 1024).toFixed(1).padStart(7)} KiB gzip  initial JavaScript in total`);
  for (const f of r.lazy.sort((a, b) => b.gzip - a.gzip).slice(0, 8)) console.log(`  lazy ${(f.gzip / 1024).toFixed(1).padStart(7)} KiB  ${f.file}`);
}
