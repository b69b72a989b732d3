// Runs a benchmark bundled with esbuild (as the production build would be),
// rather than through tsx, whose per-function name helpers cost time on hot
// paths and break functions handed to the browser with page.evaluate.
// Usage: node bench/run.mjs core|ui   (run from the repository root)
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const which = process.argv[2] ?? 'core';
const here = import.meta.dirname;
// inside node_modules/.cache, so the bundle resolves the project's packages (playwright)
mkdirSync(join(here, '..', 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(here, '..', 'node_modules', '.cache', 'nftd-bench-build-'));
try {
  buildSync({
    entryPoints: which === 'ui' ? [join(here, 'ui.bench.ts')] : [join(here, 'core.bench.ts'), join(here, 'parseEmitOnce.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    packages: 'external',
    logLevel: 'error',
  });
  const entry = join(dir, which === 'ui' ? 'ui.bench.js' : 'core.bench.js');
  const r = spawnSync(process.execPath, [entry], { stdio: 'inherit', env: { ...process.env, NFTD_BENCH_ONCE: join(dir, 'parseEmitOnce.js'), NFTD_ROOT: join(here, '..') } });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
