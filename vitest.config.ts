import { defineConfig } from 'vitest/config';

// Test tiers (see README "Tests"):
//   unit    pure functions in src/ and web/ logic; no root, no nft, no browser
//   kernel  loads scripts into the real kernel with nft inside `unshare -n` (root + nftables)
//   agent   the POSIX sh companion agent against the real kernel (root + nftables, dash, busybox)
//   fleet   the Ansible bundle rolled out by ansible-playbook to hosts that are network
//           namespaces running sshd (root + nftables, ansible, openssh-server/-client)
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'web/**/*.test.tsx', 'scripts/**/*.test.ts'],
          exclude: ['**/*.kernel.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'kernel',
          include: ['src/**/*.kernel.test.ts', 'tests/kernel/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each test makes its own namespaces; two at a time fit this 2-core machine.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'agent',
          include: ['tests/agent/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'fleet',
          include: ['tests/fleet/**/*.test.ts'],
          environment: 'node',
          // one ansible-playbook run at a time: each rollout waits on real timers
          testTimeout: 240_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
