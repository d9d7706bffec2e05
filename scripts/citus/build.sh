#!/usr/bin/env bash
# make citus: build and install Citus from the vendored tarball into the PostgreSQL that
# `pg_config` names, applying the project's compatibility patches. Does nothing when this
# version is already installed there. Needs the Debian packages `packages` lists (as root it
# installs them; never run that under a running cluster: the server headers can upgrade the
# server package).
#
#   bash scripts/citus/build.sh            build and install (idempotent)
#   bash scripts/citus/build.sh packages   install the Debian build dependencies only
#   bash scripts/citus/build.sh installed  exit 0 when this version is installed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

CITUS_VERSION=13.2.2
CITUS_EXTENSION_VERSION=13.2-1
CITUS_SHA256=dd2453caec20a830e5e63f1def5c5a98cb6f57ae510407cdcd800916fcdab430
# The vendored tarball: $CITUS_TARBALL, else ../shared/vendor beside the clone (where this
# workplace keeps it), else /work/shared/vendor.
TARBALL=${CITUS_TARBALL:-}
if [ -z "$TARBALL" ]; then
  for dir in "$root/../shared/vendor" /work/shared/vendor; do
    TARBALL=$dir/citus-$CITUS_VERSION.tar.gz
    [ -f "$TARBALL" ] && break
  done
fi
PACKAGES=(postgresql-server-dev-15 libkrb5-dev libcurl4-openssl-dev liblz4-dev libzstd-dev
  libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev)

fail() { echo "make citus: $*" >&2; exit 1; }

installed() {
  local pgconfig control lib
  pgconfig=$(command -v pg_config) || return 1
  control="$("$pgconfig" --sharedir)/extension/citus.control"
  lib="$("$pgconfig" --pkglibdir)/citus.so"
  [ -f "$lib" ] && [ -f "$control" ] \
    && grep -q "^default_version = '$CITUS_EXTENSION_VERSION'" "$control"
}

packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || fail "missing Debian packages: ${missing[*]} (apt-get install them as root)"
  if pgrep -x postgres >/dev/null; then
    fail "a PostgreSQL server is running; stop it first: installing ${missing[*]} can upgrade the server package under it"
  fi
  echo "make citus: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() {
  if installed; then
    echo "make citus: Citus $CITUS_VERSION is installed in $(pg_config --pkglibdir)"
    return 0
  fi
  packages
  [ -f "$TARBALL" ] || fail "the vendored tarball is missing: $TARBALL (set CITUS_TARBALL)"
  echo "$CITUS_SHA256  $TARBALL" | sha256sum --check --quiet - \
    || fail "$TARBALL does not have the vendored sha256"
  [ -w "$(pg_config --pkglibdir)" ] || fail "$(pg_config --pkglibdir) is not writable (run as root)"

  local src="$root/.build/citus-$CITUS_VERSION"
  rm -rf "$src"
  mkdir -p "$src"
  tar -xzf "$TARBALL" -C "$src" --strip-components=1
  for patch in "$here"/*.patch; do
    patch -d "$src" -p1 --quiet --forward < "$patch" || fail "patch $patch does not apply"
  done
  echo "make citus: building Citus $CITUS_VERSION in $src (5 to 7 minutes on 2 cores)"
  (
    cd "$src"
    ./configure --quiet PG_CONFIG="$(command -v pg_config)" > configure.log 2>&1 \
      || { tail -30 configure.log >&2; exit 1; }
    make -s -j"$(nproc)" > build.log 2>&1 || { tail -40 build.log >&2; exit 1; }
    make -s install > install.log 2>&1 || { tail -20 install.log >&2; exit 1; }
  ) || fail "the build failed (logs in $src)"
  installed || fail "the build finished but citus.so or citus.control is not where pg_config says"
  echo "make citus: installed Citus $CITUS_VERSION into $(pg_config --pkglibdir)"
}

case "${1:-build}" in
  build) build ;;
  packages) packages ;;
  installed) installed ;;
  *) fail "unknown command '$1' (build, packages or installed)" ;;
esac
