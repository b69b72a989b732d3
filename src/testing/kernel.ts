/**
 * Guard for kernel-tier tests. Under CI=true a missing nft, missing root or a
 * broken `unshare -n` makes the tests FAIL with the reason; locally they are
 * skipped with a loud message (never silently).
 */
import { describe, it } from 'vitest';
import { kernelUnavailable } from './nft.ts';

const reason = kernelUnavailable();
let warned = false;

function warnOnce(): void {
  if (warned || !reason) return;
  warned = true;
  console.warn(`\n*** KERNEL TESTS SKIPPED: ${reason}. They run in CI (CI=true makes this a failure). ***\n`);
}

/** describe() for a kernel suite: fails under CI without the kernel tier, skips loudly elsewhere. */
export function describeKernel(name: string, fn: () => void): void {
  if (!reason) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the kernel tier (root, nft, unshare -n)', () => {
        throw new Error(`kernel tier unavailable under CI: ${reason}`);
      });
    });
    return;
  }
  warnOnce();
  describe.skip(`${name} [skipped: ${reason}]`, fn);
}
