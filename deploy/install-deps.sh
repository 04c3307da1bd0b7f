#!/bin/sh
# Installs the Debian packages interdict builds, tests and benchmarks with.
# Idempotent: returns at once when everything is present. Called by
# `make deps` (and so by `make run`, `make test`, `.ci/run`).
set -eu
PKGS="build-essential pkg-config librdkafka-dev liburing-dev libxxhash-dev \
libjemalloc-dev libcmocka-dev libutf8proc-dev libxml2-dev liburcu-dev \
libmicrohttpd-dev libicu-dev clang libclang-rt-14-dev \
kcat python3-confluent-kafka python3-yaml curl"
# The real-broker tests run Apache Kafka from Maven Central jars.
command -v java >/dev/null 2>&1 || PKGS="$PKGS openjdk-17-jre-headless"
command -v mvn >/dev/null 2>&1 || PKGS="$PKGS maven"
# Optional extras (bench / interop); installed only when asked.
if [ "${1:-}" = "--bench" ]; then
	PKGS="$PKGS libhyperscan-dev gnuplot-nox"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
