/**
 * The lab's rulesets come from the designer itself (no hand-written synproxy rules):
 *
 *   npx tsx lab/ruleset.ts template NAME
 *       a template of src/templates/catalog.ts, as `nft-designer template NAME` prints it
 *   npx tsx lab/ruleset.ts wizard --placement input|forward --port P --mss M --wscale W [--no-timestamp]
 *       the synproxy wizard's output (src/wizard/) for an empty design: family ip,
 *       table lab_synproxy, anonymous synproxy statement
 *
 * Prints the nft script on stdout, and on stderr one line saying where it came from.
 */
import { emit } from '../src/emit/index.ts';
import { emptyRuleset } from '../src/model/types.ts';
import { findTemplate } from '../src/templates/catalog.ts';
import { WIZARD_DEFAULTS, buildSynproxySetup, type WizardPlacement } from '../src/wizard/index.ts';

function usage(msg: string): never {
  process.stderr.write(`lab/ruleset.ts: ${msg}\n`);
  process.exit(2);
}

function main(argv: string[]): void {
  const [cmd, ...rest] = argv;
  if (cmd === 'template') {
    const t = findTemplate(rest[0] ?? '');
    if (!t) usage(`no template ${JSON.stringify(rest[0] ?? '')}`);
    process.stdout.write(t.text);
    process.stderr.write(`template ${t.id} (${t.title})\n`);
    return;
  }
  if (cmd !== 'wizard') usage('expected "template NAME" or "wizard --placement … --port … --mss … --wscale … [--no-timestamp]"');
  const opt = new Map<string, string>();
  let timestamp = true;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--no-timestamp') timestamp = false;
    else if (['--placement', '--port', '--mss', '--wscale'].includes(a) && i + 1 < rest.length) opt.set(a.slice(2), rest[++i]);
    else usage(`unknown argument ${JSON.stringify(a)}`);
  }
  const placement = opt.get('placement');
  if (placement !== 'input' && placement !== 'forward') usage('--placement must be input or forward');
  const int = (k: string): number => {
    const v = Number(opt.get(k));
    if (!Number.isInteger(v)) usage(`--${k} must be a whole number`);
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
    timestamp,
    mode: 'anonymous' as const,
  };
  const r = buildSynproxySetup(emptyRuleset(), options, '1.0.6');
  if (r.problems.length) usage(r.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  process.stdout.write(emit(r.ruleset).text);
  process.stderr.write(`wizard: family ip, table lab_synproxy, placement ${placement}, port ${options.ports[0]}, mss ${options.mss}, wscale ${options.wscale}${timestamp ? ', timestamp' : ', no timestamp'}${options.sackPerm ? ', sack-perm' : ''}\n`);
}

main(process.argv.slice(2));
