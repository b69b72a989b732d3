#!/usr/bin/env bash
# The one command that runs every test tier (npm test). Installs what is missing
# first: npm packages, and Debian's nftables, chromium, dash, busybox, shellcheck,
# hping3 … (as root). Tiers, in order:
#   static   type-check (tsc) and ESLint
#   unit     vitest: pure tests of src/ and web/ logic
#   kernel   vitest: scripts loaded into the real kernel with nft inside `unshare -n`
#   agent    vitest: the POSIX sh agent under dash and busybox sh, each test in its own netns
#   fleet    vitest: the Ansible bundle rolled out by ansible-playbook to three hosts, each
#            a netns running its own sshd (root, ansible, openssh-server, openssh-client)
#   lab      the synproxy lab: a bounded SYN flood between two namespaces
#   e2e      Playwright with Debian's chromium against the built app
# Under CI=true a tier that cannot run (no root, no nft, no chromium) FAILS.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/ensure-system-deps.sh
  # Debian 13's nft 1.1.3 in a private prefix, beside the system's 1.0.6
  sh scripts/ensure-nft-1.1.3.sh || [ "${CI:-}" != "true" ]
  # nftables' own test suites and man pages (Debian's 1.1.3 source package) for src/corpus
  # (Debian's mirror may serve no nftables source: then the corpus test says so and runs the rest)
  sh scripts/ensure-nft-corpus.sh || echo "*** nftables' test suites are not available: the corpus runs Debian's examples and the man pages only"
else
  echo "*** not root: the kernel, agent, fleet and lab tiers need root (they skip loudly, and fail under CI=true)"
fi

step() { printf '\n=== %s ===\n' "$1"; }
start=$(date +%s)

step "static: tsc"
npx tsc -p tsconfig.json --noEmit
step "static: eslint"
npx eslint --max-warnings 0 .
step "unit"
npx vitest run --project unit
step "kernel"
npx vitest run --project kernel
step "agent"
npx vitest run --project agent
step "fleet"
# Under CI=true a missing ansible-playbook or sshd is a failure here and in the
# tier's own prerequisites test; locally the tier skips loudly without root.
if [ "${CI:-}" = "true" ]; then
  for need in ansible-playbook ssh ssh-keygen; do
    command -v "$need" >/dev/null 2>&1 || { echo "the fleet tier needs $need (apt-get install ansible openssh-client)" >&2; exit 1; }
  done
  [ -x /usr/sbin/sshd ] || { echo "the fleet tier needs /usr/sbin/sshd (apt-get install openssh-server)" >&2; exit 1; }
fi
npx vitest run --project fleet
step "lab"
if [ "$(id -u)" -eq 0 ]; then
  npm run --silent lab:synproxy
elif [ "${CI:-}" = "true" ]; then
  echo "the synproxy lab needs root" >&2
  exit 1
else
  echo "*** LAB SKIPPED: needs root"
fi
step "e2e"
npm run --silent build
npx playwright test

printf '\nall tiers passed in %ss\n' "$(( $(date +%s) - start ))"
