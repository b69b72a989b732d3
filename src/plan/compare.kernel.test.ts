// "Compare with live" against the kernel: for a live ruleset and a design, the
// predicted after-listing must be what `nft -s list ruleset` prints after the live
// ruleset is loaded and then the design's export (with each preamble) on top of it,
// for both nft versions people run. The default preamble is idempotent: a second
// load of the same export leaves the same ruleset, and other tables untouched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeKernel } from '../testing/kernel.ts';
import { NFT_113, nft113Unavailable } from '../testing/nft.ts';
import type { ListingTarget } from '../knowledge/listing.ts';
import { emit } from '../emit/index.ts';
import { parse } from '../parse/index.ts';
import { TEMPLATES } from '../templates/catalog.ts';
import { withDefaultPreamble, type Preamble, type Ruleset } from '../model/types.ts';
import { compareWithLive, readLive, summaryLine } from './index.ts';

/** A host where Docker (native nft equivalent of its NAT), fail2ban and an older design live. */
const LIVE = `table ip nat {
	chain DOCKER {
	}

	chain POSTROUTING {
		type nat hook postrouting priority srcnat; policy accept;
		oifname != "docker0" ip saddr 172.17.0.0/16 counter masquerade
	}

	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local counter jump DOCKER
	}
}
table inet f2b-table {
	set addr-set-sshd {
		type ipv4_addr
		flags timeout
		elements = { 198.18.7.7 timeout 10m }
	}

	chain f2b-chain {
		type filter hook input priority filter - 1; policy accept;
		tcp dport 22 ip saddr @addr-set-sshd reject with icmp port-unreachable
	}
}
table inet mine {
	set admins {
		type ipv4_addr
		elements = { 198.18.0.10 }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iifname "lo" accept
		ip saddr @admins tcp dport 22 counter accept
	}
}
`;

const DESIGN = `define admin_net = 198.18.1.0/24
table inet mine {
	set admins {
		type ipv4_addr
		elements = { 198.18.0.10, 198.18.0.11 }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iifname "lo" accept
		ip saddr @admins tcp dport 22 counter accept
		ip saddr $admin_net tcp dport 443 accept
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
	}
}
table ip extra {
	counter seen {
	}

	chain out {
		type filter hook output priority filter; policy accept;
		counter name "seen"
	}
}
`;

interface Loaded {
  live: string;
  first: string;
  second: string;
}

/** In a fresh namespace: load LIVE, list it (with state), load the export twice, listing after each. */
function loadTwice(live: string, exported: string, nft: string): Loaded {
  const dir = mkdtempSync(join(tmpdir(), 'nftd-compare-'));
  try {
    writeFileSync(join(dir, 'live.nft'), live);
    writeFileSync(join(dir, 'design.nft'), exported);
    const sh = '"$1" -f "$2/live.nft" && "$1" list ruleset >"$2/l0" && "$1" -f "$2/design.nft" && "$1" -s list ruleset >"$2/a1" && "$1" -f "$2/design.nft" && "$1" -s list ruleset >"$2/a2"';
    const r = spawnSync('unshare', ['-n', 'sh', '-c', sh, 'sh', nft, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nft failed (${r.status}): ${r.stderr}`);
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return { live: read('l0'), first: read('a1'), second: read('a2') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each nft version people run, with the design's target set to it: the emitter
 * writes that version's listing form, so the prediction must match its listing
 * byte for byte.
 */
const NFTS: { name: string; path: string; target: ListingTarget; skip?: string }[] = [
  { name: 'nft 1.0.6', path: 'nft', target: '1.0.6' },
  { name: 'nft 1.1.3', path: NFT_113, target: '1.1.3', skip: nft113Unavailable() },
];

function design(text: string, preamble: Preamble, target: ListingTarget): Ruleset {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { ...r.ruleset, preamble, target };
}

describeKernel('compare with live: the prediction is what the kernel lists', () => {
  for (const v of NFTS) {
    for (const preamble of ['replace', 'flush', 'none'] as const) {
      it(`${v.name}, preamble ${preamble}: after-listing predicted byte for byte`, () => {
        if (v.skip) throw new Error(v.skip);
        const rs = design(DESIGN, preamble, v.target);
        const exported = emit(rs).text;
        const k = loadTwice(LIVE, exported, v.path);
        // the live side is read from the host's own (stateful) listing
        const plan = compareWithLive(readLive(k.live), rs);
        expect(plan.errors).toEqual([]);
        expect(plan.exact).toBe(true);
        expect(plan.afterText).toBe(k.first);
        if (preamble === 'flush') {
          expect(plan.warnings).toEqual(['flush ruleset removes table ip nat (Docker)', 'flush ruleset removes table inet f2b-table (fail2ban)']);
        } else {
          // other software's tables are untouched, byte for byte
          for (const name of ['table ip nat {', 'table inet f2b-table {']) {
            const block = (s: string): string => s.slice(s.indexOf(name), s.indexOf('\n}\n', s.indexOf(name)));
            expect(block(k.first)).toBe(block(plan.liveText));
          }
        }
        const inet = plan.tables.find((t) => t.name === 'mine');
        expect(inet?.change).toBe('changed');
        expect(inet?.chains.added).toEqual(['forward']);
        expect(inet?.sets.changed).toEqual(['admins']);
        if (preamble === 'none') {
          // nft appends: the three rules that were there come again, then the new one
          expect(inet?.rules).toEqual({ added: 4, removed: 0, changed: 0 });
        } else {
          expect(inet?.rules).toEqual({ added: 1, removed: 0, changed: 0 });
        }
        expect(plan.tables.find((t) => t.name === 'extra')?.change).toBe('added');
        // a second load: replace and flush change nothing more, none appends again
        if (preamble === 'none') {
          expect(k.second).not.toBe(k.first);
        } else {
          expect(k.second).toBe(k.first);
          const again = compareWithLive(readLive(k.first), rs);
          expect(again.afterText).toBe(k.second);
          expect(summaryLine(again)).toMatch(/^no change/);
        }
      });
    }

    it(`${v.name}: every template, exported with the default preamble, loads twice to the same ruleset and is predicted`, () => {
      if (v.skip) throw new Error(v.skip);
      for (const t of TEMPLATES) {
        const rs = { ...withDefaultPreamble(parse(t.text).ruleset), target: v.target };
        expect(rs.preamble, t.id).toBe('replace');
        const k = loadTwice(LIVE, emit(rs).text, v.path);
        expect(k.second, t.id).toBe(k.first);
        const plan = compareWithLive(readLive(k.live), rs);
        expect(plan.errors, t.id).toEqual([]);
        expect(plan.afterText, t.id).toBe(k.first);
        expect(k.first, t.id).toContain('table ip nat {');
      }
    });
  }
});
