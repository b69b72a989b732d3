// Fault injection: the state file system fills up DURING the wait for confirmation
// (after the journal says `loaded`), so nothing new can be created there: no block
// (a 4 MiB ext4 image made with -m 0, filled with dd and empty files) or no inode (a
// tmpfs with nr_inodes=64, filled with empty files). Then: the timer still rolls
// back at its deadline; `confirm` and `rollback` from another process still do what
// they say; after a kill -9 of the waiting apply, `status` still reports and
// `rollback` still restores. Each time the live ruleset is byte for byte the one
// expected and `status` tells the truth. Everything runs in a private mount
// namespace inside the test's network namespace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT, EXIT, Netns, OLD_RULESET, Scratch, SHELLS, agentSuitePrerequisites } from './helpers.ts';
import { FaultCounter, fullFsSetup } from './faults.ts';

const skip = agentSuitePrerequisites('tests/agent/faults-fullwait.test.ts', ['mount', 'dd', 'mkfs.ext4']);

const counter = new FaultCounter('full-during-wait');
afterAll(() => {
  if (!skip) counter.report();
});

// Test scaffolding (never the script under test). $FS: ext4 (no block left) or
// inodes (no inode left); $SCEN: timer, confirm, rollback or kill. Results go to
// files in $OUT; exit 9x is a scaffolding failure.
const SCEN_SH = `
set -u
SH=$1 AGENT=$2 MNT=$3 OUT=$4 NEWF=$5 FS=$6 SCEN=$7
case $FS in
ext4)
  dd if=/dev/zero of="$OUT/img" bs=1024 count=4096 2>/dev/null || exit 90
  mkfs.ext4 -q -F -m 0 "$OUT/img" >/dev/null 2>&1 || exit 90
  mount -o loop "$OUT/img" "$MNT" || exit 91
  ;;
inodes) mount -t tmpfs -o size=4m,nr_inodes=64,mode=0700 tmpfs "$MNT" || exit 91 ;;
esac
SD=$MNT/sd
conf=60
[ "$SCEN" = timer ] && conf=3
$SH "$AGENT" apply "$NEWF" --confirm "$conf" --state-dir "$SD" >"$OUT/apply.out" 2>"$OUT/apply.err" </dev/null &
ap=$!
i=0
until grep -q '^phase=loaded' "$SD/lock/journal" 2>/dev/null; do
  i=$((i + 1)); [ "$i" -lt 400 ] || exit 92; sleep 0.05
done
# fill: every block (ext4), then every inode
[ "$FS" = ext4 ] && dd if=/dev/zero of="$MNT/fill" bs=4096 2>/dev/null
# The waiting agent may hold a file for a moment and remove it (an inode or a block
# free again just after the fill): fill again until a directory cannot be made
# either, each probe that succeeds taking the room it found.
k=0
r=0
while :; do
  while (: >"$MNT/f$k") 2>/dev/null; do k=$((k + 1)); done
  mkdir "$MNT/probe$r" 2>/dev/null || break
  r=$((r + 1))
  [ "$r" -lt 50 ] || exit 93 # never full
  [ "$FS" = ext4 ] && dd if=/dev/zero of="$MNT/fill$r" bs=4096 2>/dev/null
  sleep 0.02
done
case $SCEN in
confirm | rollback)
  $SH "$AGENT" "$SCEN" --state-dir "$SD" >"$OUT/cmd.out" 2>"$OUT/cmd.err"
  echo $? >"$OUT/cmd.rc"
  ;;
kill)
  kill -9 "$ap"
  $SH "$AGENT" status --state-dir "$SD" >"$OUT/status0" 2>&1
  echo $? >"$OUT/status0.rc"
  $SH "$AGENT" rollback --state-dir "$SD" >"$OUT/cmd.out" 2>"$OUT/cmd.err"
  echo $? >"$OUT/cmd.rc"
  ;;
esac
# the apply must end by itself (a hung one is killed and reported as 99)
i=0
while kill -0 "$ap" 2>/dev/null && [ -z "$(sed -n 's/^State:[[:space:]]*Z.*/z/p' /proc/$ap/status 2>/dev/null)" ]; do
  i=$((i + 1))
  if [ "$i" -ge 300 ]; then kill -9 "$ap"; wait "$ap"; echo 99 >"$OUT/apply.rc"; break; fi
  sleep 0.05
done
[ -f "$OUT/apply.rc" ] || { wait "$ap"; echo $? >"$OUT/apply.rc"; }
nft -s list ruleset >"$OUT/live"
$SH "$AGENT" status --state-dir "$SD" >"$OUT/status" 2>"$OUT/status.err"
echo $? >"$OUT/status.rc"
ls -a "$SD" >"$OUT/ls"
umount "$MNT" || exit 94
`;

type Fs = 'ext4' | 'inodes';
type Scen = 'timer' | 'confirm' | 'rollback' | 'kill';
const CASES: ReadonlyArray<[Fs, Scen]> = [
  ['ext4', 'timer'],
  ['ext4', 'confirm'],
  ['ext4', 'kill'],
  ['inodes', 'timer'],
  ['inodes', 'rollback'],
];

describe.skipIf(skip).each(SHELLS)('fault injection: state file system full during the wait under $name', (shell) => {
  it.each(CASES)('%s full, then %s: does what it says, old or new byte for byte, status true', async (fs, scen) => {
    const ns = new Netns();
    const scratch = new Scratch();
    try {
      const { oldS, newS, mnt, out, newFile } = fullFsSetup(ns, scratch, OLD_RULESET);
      const r = ns.run(['unshare', '-m', 'sh', '-c', SCEN_SH, 'scen', shell.argv.join(' '), AGENT, mnt, out, newFile, fs, scen], {
        timeoutMs: 60_000,
      });
      expect(r.code, `scaffolding: ${r.stdout}${r.stderr}`).toBe(0);
      const read = (f: string): string => readFileSync(join(out, f), 'utf8');
      await counter.must(shell.name, `${fs} full, then ${scen}`, () => {
        const apply = `apply: ${read('apply.out')}${read('apply.err')}`;
        const applyRc = Number(read('apply.rc'));
        const status = read('status');
        expect(read('status.rc').trim(), read('status.err')).toBe('0');
        const live = read('live');
        if (scen === 'confirm') {
          expect(read('cmd.rc').trim(), `confirm: ${read('cmd.out')}${read('cmd.err')}`).toBe(String(EXIT.ok));
          expect(read('cmd.out')).toContain('confirmed');
          expect(applyRc, apply).toBe(EXIT.ok);
          expect(live).toBe(newS);
        } else if (scen === 'kill') {
          expect(read('status0.rc').trim(), read('status0')).toBe('0');
          expect(read('status0')).toMatch(/^pending: yes$/m);
          expect(read('status0')).toMatch(/^live: new\b/m);
          expect(read('cmd.rc').trim(), `rollback: ${read('cmd.out')}${read('cmd.err')}`).toBe(String(EXIT.ok));
          expect(read('cmd.err')).not.toMatch(/FAILED|refused/);
          expect(applyRc).toBe(137);
          expect(live).toBe(oldS);
        } else {
          if (scen === 'rollback') {
            expect(read('cmd.rc').trim(), `rollback: ${read('cmd.out')}${read('cmd.err')}`).toBe(String(EXIT.ok));
            expect(read('cmd.out')).toContain('rolled back');
          }
          expect(applyRc, apply).toBe(EXIT.rolledBack);
          expect(read('apply.err')).toContain('restored the previous ruleset');
          expect(read('apply.err')).not.toMatch(/FAILED|refused/);
          expect(live).toBe(oldS);
        }
        expect(status).toContain('pending: none');
        expect(read('ls')).not.toMatch(/^lock$/m);
      });
    } finally {
      ns.remove();
      scratch.cleanup();
    }
  });
});
