#!/bin/sh
# Installs the Debian packages the test tiers need, when they are missing:
# nftables (kernel tier), chromium (browser tier), and for the agent and the lab:
# dash, busybox, shellcheck, hping3, tcpdump, iproute2, conntrack, socat, python3; for the
# fleet tier: ansible, openssh-server and openssh-client (sshd runs only inside the
# tier's own network namespaces: the install must not start one on this machine).
# Needs root and apt-get; without them it says what is missing and exits 1.
set -eu

need=""
have() { command -v "$1" >/dev/null 2>&1; }
have nft || need="$need nftables"
[ -x /usr/bin/chromium ] || need="$need chromium"
have dash || need="$need dash"
have busybox || need="$need busybox"
have shellcheck || need="$need shellcheck"
have checkbashisms || need="$need devscripts"
have setpriv || need="$need util-linux"
have script || need="$need bsdutils"
have hping3 || need="$need hping3"
have tcpdump || need="$need tcpdump"
have ip || need="$need iproute2"
have conntrack || need="$need conntrack"
have socat || need="$need socat"
have python3 || need="$need python3"
have unshare || need="$need util-linux"
have sysctl || need="$need procps"
have diff || need="$need diffutils"
have mkfs.ext4 || need="$need e2fsprogs"
# the fleet tier: Ansible against sshd's in network namespaces
have ansible-playbook || need="$need ansible"
[ -x /usr/sbin/sshd ] || need="$need openssh-server"
{ have ssh && have ssh-keygen; } || need="$need openssh-client"
# fonts, so that chromium renders text in headless runs
[ -d /usr/share/fonts/truetype/dejavu ] || need="$need fonts-dejavu-core"

if [ -z "$need" ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages missing:$need"
if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
  echo "install them with: apt-get install -y$need (needs root)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# No package may start a service here (openssh-server would start an sshd on this
# machine): a policy-rc.d that refuses every start (101) for the install, removed
# afterwards unless it was there before.
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# ensure-system-deps.sh: no service starts during the install\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  made_policy=1
  trap 'rm -f "$policy"' EXIT
  trap 'exit 1' INT TERM HUP
fi
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $need
[ -z "$made_policy" ] || rm -f "$policy"
