// Fault injection: the state directory on a full file system, at every step of an
// apply. A tmpfs in a private mount namespace (`unshare -m`, inside the test's
// network namespace) is pre-filled to leave N KiB free, for N over a sweep that
// covers each write of apply (script copy, listings, trial output, seq, backup,
// checksum, restore script, journal, after-listing). After each run: the live
// ruleset is byte for byte the old or the new one, `status` says which, and where a
// rollback is due it restores the old one. Each size is one fault.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AGENT,
  EXIT,
  Netns,
  Scratch,
  SHELLS,
  agentSuitePrerequisites,
} from './helpers.ts';
import { FaultCounter, fullFsSetup } from './faults.ts';

const skip = agentSuitePrerequisites('tests/agent/faults-fullfs.test.ts', ['mount', 'dd']);

/** A live ruleset of 150 rules: its backup and each listing take two pages (~8 KiB). */
const BIG_OLD = `table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n${Array.from(
  { length: 150 },
  (_, i) => `\t\tip saddr 198.18.${i >> 8}.${i & 255} tcp dport ${1000 + i} accept\n`,
).join('')}\t}\n}\n`;

/** Free KiB left on the state file system: every page from 0 to 100 KiB (an apply needs ~70) ... */
const SWEEP_NO_TIMER = Array.from({ length: 26 }, (_, i) => i * 4);
/**
 * ... and, with a 1 s confirmation timer (so the rollback at the deadline runs on
 * the full disk), a few early sizes and every page near the end, where the load
 * happens but the writes after it (after-listing, journal, decision) may not fit.
 */
const SWEEP_TIMER = [0, 32, ...SWEEP_NO_TIMER.filter((n) => n >= 60)];

// Test scaffolding (never the script under test): per size, a fresh tmpfs with N KiB
// free holds the state dir; apply, then list, status, and a rollback when one is
// due, all inside the same mount namespace. Results go to files in $OUT.
const SWEEP_SH = `
set -u
SHELL_WORDS=$1 AGENT=$2 MNT=$3 OUT=$4 NEWF=$5 OLDS=$6 RESET=$7 CONF=$8
shift 8
for n in "$@"; do
  d=$OUT/$CONF-$n
  mkdir -p "$d"
  mount -t tmpfs -o "size=$((n + 8))k,mode=0700" tmpfs "$MNT" || exit 90
  dd if=/dev/zero of="$MNT/fill" bs=1024 count=8 2>/dev/null || exit 91
  df -k "$MNT" | tail -n 1 >"$d/df"
  $SHELL_WORDS "$AGENT" apply "$NEWF" --confirm "$CONF" --state-dir "$MNT/sd" >"$d/apply.out" 2>"$d/apply.err"
  echo $? >"$d/apply.rc"
  nft -s list ruleset >"$d/live1"
  $SHELL_WORDS "$AGENT" status --state-dir "$MNT/sd" >"$d/status1" 2>"$d/status1.err"
  echo $? >"$d/status1.rc"
  if grep -q '^pending: yes' "$d/status1" || ! cmp -s "$d/live1" "$OLDS" || grep -q '^  [0-9]' "$d/status1"; then
    $SHELL_WORDS "$AGENT" rollback --state-dir "$MNT/sd" >"$d/rb.out" 2>"$d/rb.err"
    echo $? >"$d/rb.rc"
    nft -s list ruleset >"$d/live2"
    $SHELL_WORDS "$AGENT" status --state-dir "$MNT/sd" >"$d/status2" 2>&1
  fi
  umount "$MNT" || exit 92
  nft -f "$RESET" || exit 93
done
`;

describe.skipIf(skip).each(SHELLS)('fault injection: full state file system under $name', (shell) => {
  it(`sweeps the free space (${SWEEP_NO_TIMER.length} sizes without a timer, ${SWEEP_TIMER.length} with one): old or new, status true, rollback restores`, async () => {
    const counter = new FaultCounter(`full-fs ${shell.name}`);
    const ns = new Netns();
    const scratch = new Scratch();
    try {
      const { oldS, newS, mnt, out, newFile } = fullFsSetup(ns, scratch, BIG_OLD);
      const oldSFile = scratch.file('old-stateless.nft', oldS);
      const reset = scratch.file('reset.nft', `flush ruleset\n${BIG_OLD}`);
      const outcomes = new Map<string, number>();
      const refusals = new Set<string>();

      for (const [conf, sizes] of [
        ['0', SWEEP_NO_TIMER],
        ['1', SWEEP_TIMER],
      ] as const) {
        const r = ns.run(
          ['unshare', '-m', 'sh', '-c', SWEEP_SH, 'sweep', shell.argv.join(' '), AGENT, mnt, out, newFile, oldSFile, reset, conf, ...sizes.map(String)],
          { timeoutMs: 170_000 },
        );
        expect(r.code, `sweep scaffolding: ${r.stderr}`).toBe(0);
        for (const n of sizes) {
          const d = join(out, `${conf}-${n}`);
          const read = (f: string): string => readFileSync(join(d, f), 'utf8');
          await counter.run(shell.name, `--confirm ${conf}, ${n} KiB free`, () => {
            const code = Number(read('apply.rc'));
            const err = read('apply.err');
            outcomes.set(`confirm ${conf} exit ${code}`, (outcomes.get(`confirm ${conf} exit ${code}`) ?? 0) + 1);
            const live1 = read('live1');
            const status1 = read('status1');
            expect(read('status1.rc').trim(), read('status1.err')).toBe('0');
            // byte for byte the old or the new ruleset
            expect([oldS, newS], `${n} KiB: live is neither old nor new`).toContain(live1);
            const liveIs = live1 === oldS ? 'old' : 'new';
            if (/^pending: yes$/m.test(status1)) {
              expect(status1).toMatch(new RegExp(`^live: ${liveIs}\\b`, 'm'));
            }
            if (code === EXIT.environment) {
              // refused for lack of space, before touching the live ruleset
              expect(err).toMatch(/cannot (write|copy) .*(file system|full)/);
              expect(err).toContain('the live ruleset is unchanged');
              expect(liveIs).toBe('old');
              expect(status1).toContain('pending: none');
              // which write it stopped at: the file's name, digits folded
              const what = /cannot (?:write|copy) (.*?) \(/.exec(err)?.[1] ?? err.split('\n')[0];
              refusals.add(what.replace(/\/\S*\//g, '').replace(/\d+/g, 'N'));
            } else if (conf === '0') {
              expect(code, err).toBe(EXIT.ok);
              expect(liveIs).toBe('new');
            } else {
              // with a timer: rolled back at the deadline (10), or at once because the
              // load could not be recorded (8); the old ruleset is back either way
              expect([EXIT.rolledBack, EXIT.applyFailed], err).toContain(code);
              expect(err).toContain('restored the previous ruleset');
              expect(liveIs).toBe('old');
              expect(status1).toContain('pending: none');
            }
            // Due: the new ruleset is live or an apply is pending. A backup left by a
            // refused apply must be complete: restoring it gives the old listing.
            if (liveIs === 'new' || /^pending: yes$/m.test(status1) || /^ {2}\d{6}-/m.test(status1)) {
              expect(read('rb.rc').trim(), read('rb.err')).toBe('0');
              expect(read('live2')).toBe(oldS);
              expect(read('status2')).toContain('pending: none');
            }
          });
        }
      }
      console.log(`full-fs ${shell.name}: outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; refused at: ${[...refusals].join(' | ')}`);
      // The sweep reached both ends and stopped at several different writes.
      expect(outcomes.get(`confirm 0 exit ${EXIT.environment}`) ?? 0).toBeGreaterThan(0);
      expect(outcomes.get(`confirm 0 exit ${EXIT.ok}`) ?? 0).toBeGreaterThan(0);
      expect(refusals.size).toBeGreaterThanOrEqual(3);
    } finally {
      ns.remove();
      scratch.cleanup();
    }
    counter.report();
  });
});
