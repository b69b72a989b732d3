// One parse + emit of FILE in a fresh process, so the benchmark can read its peak memory.
import { readFileSync } from 'node:fs';
import { parse } from '../src/parse/index.ts';
import { emit } from '../src/emit/index.ts';

const text = readFileSync(process.argv[2], 'utf8');
const out = emit(parse(text).ruleset).text;
if (out.length === 0) process.exitCode = 1;
