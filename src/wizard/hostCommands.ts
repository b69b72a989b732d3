/**
 * The host settings synproxy depends on, as a copyable shell snippet. nft cannot
 * set sysctls, so these are applied with sysctl(8) outside the nft transaction.
 * The three prerequisites are per network namespace; conntrack sizing
 * (nf_conntrack_max, the hash size) can only be written in the host's initial
 * namespace (a child namespace, e.g. a container, gets "Invalid argument").
 */
import { SYNPROXY_SYSCTLS } from '../knowledge/synproxyFacts.ts';

/** Example sizing: about 1 M entries (~300 bytes each, ~300 MiB at full use); a hash of 1/4 that. */
export const EXAMPLE_CONNTRACK_MAX = 1048576;
export const EXAMPLE_CONNTRACK_HASHSIZE = 262144;

const SYSCTL_D_FILE = '/etc/sysctl.d/90-nft-synproxy.conf';

function spaced(line: string): string {
  const i = line.indexOf('=');
  return `${line.slice(0, i)} = ${line.slice(i + 1)}`;
}

export function synproxyHostCommands(): string {
  const lines: string[] = [
    '# Synproxy host prerequisites: run as root where the ruleset is loaded.',
    '# nft cannot set these; they are per network namespace.',
    '# The net.netfilter keys exist only once nf_conntrack is loaded.',
    'modprobe nf_conntrack',
  ];
  for (const s of SYNPROXY_SYSCTLS) lines.push(`sysctl -w ${s.line}`);
  lines.push(
    '',
    '# Conntrack sizing (example values: size them for your memory and load).',
    "# Only in the host's initial network namespace: inside a container or another",
    '# namespace these writes fail with "Invalid argument".',
    `sysctl -w net.netfilter.nf_conntrack_max=${EXAMPLE_CONNTRACK_MAX}`,
    `echo ${EXAMPLE_CONNTRACK_HASHSIZE} > /sys/module/nf_conntrack/parameters/hashsize`,
    '',
    '# Keep the settings across reboots (load nf_conntrack early so the keys exist).',
    "echo nf_conntrack > /etc/modules-load.d/nf_conntrack.conf",
    `echo 'options nf_conntrack hashsize=${EXAMPLE_CONNTRACK_HASHSIZE}' > /etc/modprobe.d/nf_conntrack.conf`,
    `cat > ${SYSCTL_D_FILE} <<'EOF'`,
    ...SYNPROXY_SYSCTLS.map((s) => spaced(s.line)),
    `net.netfilter.nf_conntrack_max = ${EXAMPLE_CONNTRACK_MAX}`,
    'EOF',
    `sysctl -p ${SYSCTL_D_FILE}`,
  );
  return `${lines.join('\n')}\n`;
}
