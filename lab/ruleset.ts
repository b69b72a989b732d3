/**
 * The lab's rulesets come from the designer itself (no hand-written synproxy rules):
 *
 *   npx tsx lab/ruleset.ts JOB...
 *
 * where each JOB writes one file (one process for all of them: tsx starts once):
 *
 *   FILE=template:NAME
 *       a template of src/templates/catalog.ts, exactly as `nft-designer template NAME`
 *       prints it
 *   FILE=wizard:placement=input|forward,port=P,mss=M,wscale=W[,timestamp=0]
 *       the synproxy wizard's output (src/wizard/) for an empty design: family ip,
 *       table lab_synproxy, an anonymous synproxy statement, sack-perm
 *
 * For each job it prints `FILE<TAB>where the ruleset came from` on stdout. Exit 2 on a
 * bad job or when the wizard reports a problem.
 */
import { writeFileSync } from 'node:fs';
import { emit } from '../src/emit/index.ts';
import { emptyRuleset } from '../src/model/types.ts';
import { findTemplate } from '../src/templates/catalog.ts';
import { WIZARD_DEFAULTS, buildSynproxySetup, type WizardPlacement } from '../src/wizard/index.ts';

function usage(msg: string): never {
  process.stderr.write(`lab/ruleset.ts: ${msg}\n`);
  process.exit(2);
}

function template(name: string): { text: string; source: string } {
  const t = findTemplate(name);
  if (!t) usage(`no template ${JSON.stringify(name)}`);
  return { text: t.text, source: `template ${t.id} (${t.title})` };
}

function wizard(spec: string): { text: string; source: string } {
  const opt = new Map<string, string>();
  for (const kv of spec.split(',')) {
    const [k, v] = kv.split('=');
    if (!['placement', 'port', 'mss', 'wscale', 'timestamp'].includes(k) || v === undefined) usage(`unknown wizard option ${JSON.stringify(kv)}`);
    opt.set(k, v);
  }
  const placement = opt.get('placement');
  if (placement !== 'input' && placement !== 'forward') usage('placement must be input or forward');
  const int = (k: string): number => {
    const v = Number(opt.get(k));
    if (!Number.isInteger(v)) usage(`${k} must be a whole number`);
    return v;
  };
  const options = {
    ...WIZARD_DEFAULTS,
    family: 'ip' as const,
    tableName: 'lab_synproxy',
    placement: placement as WizardPlacement,
    ports: [int('port')],
    mss: int('mss'),
    wscale: int('wscale'),
    timestamp: opt.get('timestamp') !== '0',
    mode: 'anonymous' as const,
  };
  const r = buildSynproxySetup(emptyRuleset(), options, '1.0.6');
  if (r.problems.length) usage(r.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  const source = `wizard: family ip, table lab_synproxy, placement ${placement}, port ${options.ports[0]}, mss ${options.mss}, wscale ${options.wscale}${options.timestamp ? ', timestamp' : ', no timestamp'}${options.sackPerm ? ', sack-perm' : ''}`;
  return { text: emit(r.ruleset).text, source };
}

const jobs = process.argv.slice(2);
if (!jobs.length) usage('expected FILE=template:NAME or FILE=wizard:placement=…,port=…,mss=…,wscale=…[,timestamp=0]');
for (const job of jobs) {
  const m = /^([^=]+)=(template|wizard):(.+)$/.exec(job);
  if (!m) usage(`bad job ${JSON.stringify(job)}`);
  const out = m[2] === 'template' ? template(m[3]) : wizard(m[3]);
  writeFileSync(m[1], out.text);
  process.stdout.write(`${m[1]}\t${out.source}\n`);
}
