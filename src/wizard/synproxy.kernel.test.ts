/**
 * Every wizard output loads into the real kernel (inside `unshare -n` only) and
 * lists back byte for byte in the listing form of each nft version people run
 * (Debian 12's 1.0.6 and Debian 13's 1.1.3): each mode × family × placement on an
 * empty design, and merged into the templates.
 */
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { NFT_OF, loadAndList, targetUnavailable } from '../testing/nft.ts';
import { LISTING_TARGETS } from '../knowledge/listing.ts';
import { emit } from '../emit/index.ts';
import { parse } from '../parse/index.ts';
import { emptyRuleset, type Ruleset } from '../model/types.ts';
import { TEMPLATES, findTemplate } from '../templates/catalog.ts';
import { WIZARD_DEFAULTS, buildSynproxySetup, type SynproxyWizardOptions, type WizardFamily, type WizardMode, type WizardPlacement } from './index.ts';

const V4 = [
  { network: '192.168.1.0/24', objectName: 'https-synproxy', mss: 1460, wscale: 7, timestamp: true, sackPerm: true },
  { network: '192.168.2.0/24', objectName: 'other-synproxy', mss: 1460, wscale: 5, timestamp: false, sackPerm: false },
  { network: '198.18.0.9', objectName: 'one-host', mss: 1400, wscale: 0, timestamp: false, sackPerm: true },
];
const V6 = [
  { network: '2001:db8:1::/48', objectName: 'v6-a', mss: 1440, wscale: 7, timestamp: true, sackPerm: true },
  { network: '2001:db8:2::7', objectName: 'v6-host', mss: 1220, wscale: 14, timestamp: true, sackPerm: false },
];

/** Emitted for each listing target, loaded by that version of nft, and listed back unchanged. */
function expectListsBack(rs: Ruleset): void {
  for (const target of LISTING_TARGETS) {
    if (targetUnavailable(target)) continue;
    const text = emit(rs, { target }).text;
    const nft = NFT_OF[target];
    const r = loadAndList(text, nft ? { nft } : {});
    expect(r.stderr, target).toBe('');
    expect(r.ok, target).toBe(true);
    expect(r.stdout, target).toBe(text);
  }
}

describeKernel('synproxy wizard output in the kernel', () => {
  const families: WizardFamily[] = ['ip', 'ip6', 'inet'];
  const modes: WizardMode[] = ['anonymous', 'named', 'per-source'];
  const placements: WizardPlacement[] = ['input', 'forward'];

  for (const family of families) {
    for (const mode of modes) {
      for (const placement of placements) {
        it(`${family} ${mode} ${placement} loads and lists back byte for byte`, () => {
          const opts: SynproxyWizardOptions = {
            ...WIZARD_DEFAULTS,
            family,
            mode,
            placement,
            tableName: `wiz_${family}`,
            ports: placement === 'input' ? [8888] : [80, 443, 8443],
            objectName: mode === 'per-source' && placement === 'input' ? undefined : 'default-synproxy',
            perSource: family === 'ip' ? V4 : family === 'ip6' ? V6 : [...V4, ...V6],
          };
          const r = buildSynproxySetup(emptyRuleset(), opts, '1.0.6');
          expect(r.problems).toEqual([]);
          expectListsBack(r.ruleset);
        });
      }
    }
  }

  it('the wiki parameters list back as the wiki template', () => {
    const r = buildSynproxySetup(emptyRuleset(), { ...WIZARD_DEFAULTS, family: 'ip', ports: [8888], tableName: 'anon_synproxy_demo' });
    expectListsBack(r.ruleset);
  });

  it('merged into every template (a priority below an existing chain included), twice', () => {
    for (const t of TEMPLATES) {
      const base = parse(t.text).ruleset;
      const table = base.tables[base.tables.length - 1];
      if (!['ip', 'ip6', 'inet'].includes(table.family)) continue;
      const opts: SynproxyWizardOptions = { ...WIZARD_DEFAULTS, family: table.family as WizardFamily, tableName: table.name, placement: 'forward', mode: 'named', objectName: 'wiz' };
      const once = buildSynproxySetup(base, opts);
      expect(once.problems, t.id).toEqual([]);
      const twice = buildSynproxySetup(once.ruleset, { ...opts, placement: 'input', ports: [22] });
      expect(twice.problems, t.id).toEqual([]);
      expectListsBack(twice.ruleset);
    }
  });

  it('a new table next to the workstation template gets priority filter - 1', () => {
    const base = parse(findTemplate('workstation')?.text ?? '').ruleset;
    const r = buildSynproxySetup(base, { ...WIZARD_DEFAULTS, family: 'ip', tableName: 'syn4', mode: 'per-source', objectName: 'd', perSource: V4 });
    expect(emit(r.ruleset).text).toContain('type filter hook input priority filter - 1; policy accept;');
    expectListsBack(r.ruleset);
  });
});
