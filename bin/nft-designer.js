#!/usr/bin/env node
// The package's `nft-designer` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
process.exitCode = run(process.argv.slice(2));
