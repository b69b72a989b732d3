// Runs a benchmark bundled with esbuild (as the production build would be),
// rather than through tsx, whose per-function name helpers cost time on hot paths.
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'nftd-bench-build-'));
const here = import.meta.dirname;
try {
  buildSync({
    entryPoints: [join(here, 'core.bench.ts'), join(here, 'parseEmitOnce.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    packages: 'external',
    logLevel: 'error',
  });
  const r = spawnSync(process.execPath, [join(dir, 'core.bench.js')], { stdio: 'inherit', env: { ...process.env, NFTD_BENCH_ONCE: join(dir, 'parseEmitOnce.js') } });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
