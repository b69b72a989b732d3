#!/usr/bin/env node
// The package's `nft-designer` command. It runs the built CLI (build/cli/, made by
// scripts/build-cli.mjs on `npm install` and before `npm pack`); in a checkout where
// it has not been built, `npm run build:cli` makes it and `npm run cli -- …` runs the
// TypeScript directly.
let mod;
try {
  mod = await import('../build/cli/nft-designer.mjs');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('nft-designer.mjs')) throw e;
  process.stderr.write('nft-designer: the command is not built (build/cli/nft-designer.mjs is missing): run "npm run build:cli"\n');
  process.exit(2);
}
process.exitCode = mod.run(process.argv.slice(2));
