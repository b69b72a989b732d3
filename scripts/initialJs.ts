// Initial JavaScript of the built app: the entry chunk and every chunk it imports
// statically (what the browser must load before first paint), gzip-compressed.
// Usage: npx tsx scripts/initialJs.ts [distDir]   (needs a build with manifest)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export interface InitialJs {
  files: { file: string; raw: number; gzip: number }[];
  total: number;
  lazy: { file: string; gzip: number }[];
}

export function initialJs(dist = 'dist'): InitialJs {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const entry = Object.values(manifest).find((c) => c.isEntry);
  const seen = new Set<string>();
  const walk = (key: string | undefined): void => {
    if (key === undefined) return;
    const c = manifest[key] ?? Object.values(manifest).find((x) => x.file === key);
    if (!c || seen.has(c.file)) return;
    seen.add(c.file);
    for (const i of c.imports ?? []) walk(i);
  };
  walk(Object.keys(manifest).find((k) => manifest[k] === entry));
  const files = [...seen].map((f) => {
    const buf = readFileSync(join(dist, f));
    return { file: f, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  });
  const lazy = Object.values(manifest)
    .filter((c) => c.file.endsWith('.js') && !seen.has(c.file))
    .map((c) => ({ file: c.file, gzip: gzipSync(readFileSync(join(dist, c.file)), { level: 9 }).length }));
  return { files, total: files.reduce((n, f) => n + f.gzip, 0), lazy };
}

if (/initialJs\.ts$/.test(process.argv[1] ?? '')) {
  const r = initialJs(process.argv[2] ?? 'dist');
  for (const f of r.files) console.log(`${(f.gzip / 1024).toFixed(1).padStart(7)} KiB gzip  ${f.file}`);
  console.log(`${(r.total / 1024).toFixed(1).padStart(7)} KiB gzip  initial JavaScript in total`);
  for (const f of r.lazy.sort((a, b) => b.gzip - a.gzip).slice(0, 8)) console.log(`  lazy ${(f.gzip / 1024).toFixed(1).padStart(7)} KiB  ${f.file}`);
}
