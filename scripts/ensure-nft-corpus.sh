#!/bin/sh
# nftables' own test suites and documentation (tests/py, tests/shell, doc/ and
# files/examples of the 1.1.3 sources) for the corpus (src/corpus/): Debian 13's
# SOURCE package, fetched with a private apt state (the system's apt never sees
# trixie) and its upstream tarball unpacked with tar into PREFIX. Nothing of it is
# copied into this repository (the files are GPL; the project is MIT).
# Idempotent; needs root and the network to Debian's mirror (the URI is read from
# the machine's own apt sources). Does not need dpkg-source.
#
# Where the mirror does not serve source packages (some caching mirrors serve only
# .deb files: apt then reports 404 for the .dsc and the .orig.tar.xz), the sources
# can be given instead: NFT_CORPUS_TARBALL=FILE (nftables-X.Y.Z.tar.* or the
# .orig.tar.*) or NFT_CORPUS_SRC=DIR (an unpacked tree or checkout); VERSION then
# records that tree's own version (its configure.ac). A corpus of another version
# that is already in PREFIX is kept when 1.1.3 cannot be fetched.
set -eu
PREFIX=${NFT_CORPUS_PREFIX:-/opt/nft-designer/nft-corpus}
WANT=1.1.3

present() { [ -f "$PREFIX/VERSION" ] && [ -d "$PREFIX/tests/py" ] && [ -d "$PREFIX/tests/shell" ]; }
if present && [ "$(cat "$PREFIX/VERSION")" = "$WANT" ]; then
  echo "nftables $WANT sources: present in $PREFIX"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "nftables $WANT sources: needs root to install into $PREFIX" >&2; exit 1; }

# install TOP (an unpacked source tree) into PREFIX
install_tree() {
  top=$1
  { [ -d "$top/tests/py" ] && [ -d "$top/tests/shell" ]; } || { echo "nftables sources: $top has no tests/py or tests/shell" >&2; exit 1; }
  version=$(sed -n 's/^AC_INIT(\[nftables\], *\[\([0-9.]*\)\].*/\1/p' "$top/configure.ac" 2>/dev/null || true)
  rm -rf "$PREFIX.new"
  mkdir -p "$PREFIX.new/tests" "$PREFIX.new/files"
  cp -R "$top/tests/py" "$top/tests/shell" "$PREFIX.new/tests/"
  [ -d "$top/doc" ] && cp -R "$top/doc" "$PREFIX.new/doc"
  [ -d "$top/files/examples" ] && cp -R "$top/files/examples" "$PREFIX.new/files/examples"
  [ -f "$top/COPYING" ] && cp "$top/COPYING" "$PREFIX.new/COPYING"
  printf '%s\n' "${version:-unknown}" >"$PREFIX.new/VERSION"
  rm -rf "$PREFIX"
  mv "$PREFIX.new" "$PREFIX"
  echo "nftables ${version:-unknown} sources: installed in $PREFIX"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${NFT_CORPUS_SRC:-}" ]; then
  install_tree "$NFT_CORPUS_SRC"
  exit 0
fi
if [ -n "${NFT_CORPUS_TARBALL:-}" ]; then
  mkdir "$work/unpack"
  tar -xf "$NFT_CORPUS_TARBALL" -C "$work/unpack"
  install_tree "$(find "$work/unpack" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
  exit 0
fi

uri=""
f=/etc/apt/sources.list.d/debian.sources
[ -r "$f" ] && uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
[ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$uri" ] || { echo "nftables $WANT sources: no Debian mirror found in the apt sources" >&2; exit 1; }

mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" >"$work/sources.list"
set -- -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Dir::State::status=/dev/null \
  -o APT::Sandbox::User=root
apt-get "$@" update -qq
# --download-only: apt checks each file against the signed Sources index, unpacks nothing
if ! (cd "$work/src" && apt-get "$@" source --download-only -qq nftables >/dev/null); then
  if present; then
    echo "nftables $WANT sources: cannot be fetched from $uri; keeping the nftables $(cat "$PREFIX/VERSION") sources in $PREFIX" >&2
    exit 0
  fi
  echo "nftables $WANT sources: cannot be fetched from $uri (give NFT_CORPUS_TARBALL=FILE or NFT_CORPUS_SRC=DIR)" >&2
  exit 1
fi
orig=$(find "$work/src" -name "nftables_$WANT.orig.tar.*" ! -name '*.asc' | head -n 1)
[ -n "$orig" ] || { echo "nftables $WANT sources: no nftables_$WANT.orig.tar.* in trixie's source package" >&2; exit 1; }
mkdir "$work/unpack"
tar -xf "$orig" -C "$work/unpack"
install_tree "$work/unpack/nftables-$WANT"
