#!/bin/sh
# Debian 13's nft 1.1.3, beside the system's (Debian 12's 1.0.6) and never over it:
# Debian's own packages, fetched with a private apt state (the system's apt never
# sees trixie) and unpacked with dpkg -x into PREFIX. PREFIX/nft runs it with the
# packages' own loader and libraries. Idempotent; needs root and the network to
# Debian's mirror (the URI is read from the machine's own apt sources).
set -eu
PREFIX=${NFT_113_PREFIX:-/opt/nft-designer/nft-1.1.3}
WANT=1.1.3

if [ -x "$PREFIX/nft" ] && "$PREFIX/nft" --version 2>/dev/null | grep -q "v$WANT"; then
  echo "nft $WANT: present in $PREFIX"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "nft $WANT: needs root to install into $PREFIX" >&2; exit 1; }

uri=""
f=/etc/apt/sources.list.d/debian.sources
[ -r "$f" ] && uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
[ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$uri" ] || { echo "nft $WANT: no Debian mirror found in the apt sources" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" >"$work/sources.list"
set -- -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Dir::State::status=/dev/null \
  -o APT::Sandbox::User=root
apt-get "$@" update -qq
(cd "$work/cache" && apt-get "$@" download nftables libnftables1 libnftnl11 libc6 libgmp10 libjansson4 \
  libmnl0 libxtables12 libedit2 libbsd0 libtinfo6 libmd0 >/dev/null)

rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
for deb in "$work"/cache/*.deb; do dpkg -x "$deb" "$PREFIX.new"; done
cat >"$PREFIX.new/nft" <<WRAP
#!/bin/sh
exec "$PREFIX/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "$PREFIX/usr/lib/x86_64-linux-gnu" "$PREFIX/usr/sbin/nft" "\$@"
WRAP
chmod 755 "$PREFIX.new/nft"
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
"$PREFIX/nft" --version | grep -q "v$WANT" || { echo "nft $WANT: $PREFIX/nft does not run" >&2; exit 1; }
echo "nft $WANT: installed in $PREFIX"
