#!/bin/sh
# Installs what cmd/voxclone's TestOfficialClients needs: Node.js and npm
# (Debian's nodejs and npm packages, unless node and npm are already on
# PATH — a Node.js from elsewhere, such as NodeSource's, conflicts with
# Debian's npm), then the official openai and @elevenlabs/elevenlabs-js
# SDKs at the versions package-lock.json pins, with npm ci. The SDKs are
# installed again only when the lock file changed.
set -eu
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	./scripts/debs.sh nodejs npm
fi
dir=cmd/voxclone/testdata/sdk
stamp="$dir/node_modules/.voxclone-lock"
if ! cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null; then
	echo "installing the SDKs pinned in $dir/package-lock.json"
	npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
	cp "$dir/package-lock.json" "$stamp"
fi
