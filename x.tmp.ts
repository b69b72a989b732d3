import { goldenCases } from './src/testing/golden.ts';
import { packetsForRules } from './src/testing/rulePackets.ts';
import { designOf } from './src/testing/targets.ts';
import { trace } from './src/trace/evaluate.ts';
import { BEYOND, CLIENT, HOST } from './src/testing/traceLab.ts';
for (const g of goldenCases().filter((g) => ['canonical', 'stmts-forward', 'statements-objects'].includes(g.name))) {
  const d = designOf(g.listings['1.0.6']);
  const { packets } = packetsForRules(d, CLIENT, HOST, { forwardTo: BEYOND });
  console.log('==', g.name);
  for (const p of packets.slice(0, 14)) {
    console.log(`  [${p.chain}] ${p.rule.slice(0, 70)}  <- hping ${p.hping.join(' ')} ${p.daddr}`);
  }
}
