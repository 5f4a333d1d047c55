#!/bin/sh
# Installs the Debian packages presetgen needs, only those that are missing.
# Used by `make run` and `make check`; safe to run again and again.
set -eu

# pkg-config module:Debian package, one per line
need="
yaml-0.1:libyaml-dev
libcmark:libcmark-dev
jansson:libjansson-dev
libxml-2.0:libxml2-dev
libcrypto:libssl-dev
zlib:zlib1g-dev
libarchive:libarchive-dev
libutf8proc:libutf8proc-dev
icu-i18n:libicu-dev
libpng:libpng-dev
stb:libstb-dev
libmicrohttpd:libmicrohttpd-dev
cmocka:libcmocka-dev
"
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
for pair in $need; do
	mod=${pair%%:*}
	pkg=${pair#*:}
	if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$mod"; then
		missing="$missing $pkg"
	fi
done
# what only the tests need (make check sets DEPS_TESTS=1): Chromium opens
# pages with hostile data; node runs Vercel's own routing-utils; java runs
# the W3C Nu Html Checker
if [ "${DEPS_TESTS:-}" = 1 ]; then
	command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
	command -v node >/dev/null 2>&1 || missing="$missing nodejs npm"
	command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
fi
# make bench: peak memory comes from GNU time
[ -x /usr/bin/time ] || missing="$missing time"
# tests: the ASan/UBSan and TSan runs need the sanitizer runtimes gcc ships
if [ -z "$(cc -print-file-name=libasan.so 2>/dev/null | grep /)" ]; then
	missing="$missing libasan8"
fi
if [ -z "$(cc -print-file-name=libtsan.so 2>/dev/null | grep /)" ]; then
	missing="$missing libtsan2"
fi
if [ -n "$missing" ]; then
echo "deps: installing$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "deps: missing$missing; run as root or install them" >&2
		exit 1
	fi
else
	SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi

# tests: Vercel's routing-utils, pinned by tests/vercel/package-lock.json
if [ "${DEPS_TESTS:-}" = 1 ] && [ ! -d tests/vercel/node_modules/@vercel/routing-utils ]; then
	echo "deps: npm ci in tests/vercel" >&2
	npm ci --prefix tests/vercel --no-audit --no-fund >&2
fi
# tests: Expo's and EAS's own readers (@expo/config, @expo/eas-json,
# @expo/prebuild-config, @expo/image-utils), pinned by tests/expo/package-lock.json
if [ "${DEPS_TESTS:-}" = 1 ] && [ ! -d tests/expo/node_modules/@expo/eas-json ]; then
	echo "deps: npm ci in tests/expo" >&2
	npm ci --prefix tests/expo --ignore-scripts --no-audit --no-fund >&2
fi
# tests: axe-core and playwright-core (which drives Debian's Chromium; it
# downloads no browser), pinned by tests/axe/package-lock.json
if [ "${DEPS_TESTS:-}" = 1 ] && [ ! -d tests/axe/node_modules/axe-core ]; then
	echo "deps: npm ci in tests/axe" >&2
	npm ci --prefix tests/axe --ignore-scripts --no-audit --no-fund >&2
fi
# tests: the W3C Nu Html Checker (vnu.jar), pinned by tests/vnu/package-lock.json;
# its install script would fetch a Java runtime, Debian's is used instead
if [ "${DEPS_TESTS:-}" = 1 ] && [ ! -f tests/vnu/node_modules/vnu-jar/build/dist/vnu.jar ]; then
	echo "deps: npm ci in tests/vnu" >&2
	npm ci --prefix tests/vnu --ignore-scripts --no-audit --no-fund >&2
fi
