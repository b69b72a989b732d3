// Builds the nft-designer command into one file, build/cli/nft-designer.mjs, that
// bin/nft-designer.js loads: plain JavaScript for Node 20 with nothing to resolve at
// run time (the core uses only node: modules), so it starts within a small multiple
// of a bare `node` and runs from the packed tarball without any dependency.
// Runs on `npm install` / `npm ci` in a clone and before `npm pack` (the "prepare"
// script), and by `npm run build:cli`. OUT=DIR builds elsewhere (tests); the file
// must sit two directories below the package root (it reads public/agent/ from there).
import { buildSync } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outfile = join(process.env.OUT ?? join(root, 'build', 'cli'), 'nft-designer.mjs');
buildSync({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  minify: true,
  legalComments: 'none',
  logLevel: 'error',
});
