#!/usr/bin/env bash
# CI: the Dockerfile's runtime stage on a throwaway copy, without a Docker engine. It copies what the
# image copies (package manifests, packages/*/dist, server/dist, client/dist), runs the same
# `npm ci --omit=dev`, starts `node server/dist/main.js` as the image does and waits for /healthz.
# Proves the compiled server runs on production dependencies alone (no tsx, no dev packages).
# Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/copydesk-image-XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for manifest in package.json package-lock.json packages/protocol/package.json packages/article-doc/package.json \
  server/package.json client/package.json e2e/package.json bench/package.json; do
  mkdir -p "$work/$(dirname "$manifest")"
  cp "$manifest" "$work/$manifest"
done
for built in packages/protocol/dist packages/article-doc/dist server/dist client/dist; do
  [ -d "$built" ] || { echo "check-image: $built is missing: run npm run build first" >&2; exit 1; }
  mkdir -p "$work/$(dirname "$built")"
  cp -R "$built" "$work/$built"
done

(cd "$work" && npm ci --omit=dev --no-audit --no-fund --prefer-offline >/dev/null)
if [ -e "$work/node_modules/tsx" ]; then echo "check-image: tsx is installed by npm ci --omit=dev" >&2; exit 1; fi

port=$((20000 + RANDOM % 20000))
(cd "$work" && NODE_ENV=production PORT=$port HOST=127.0.0.1 DATA_DIR="$work/data" LOG_LEVEL=warn exec node server/dist/main.js) &
server_pid=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
    echo "check-image: compiled server healthy on production dependencies ($(du -sh "$work/node_modules" | cut -f1) node_modules)"
    exit 0
  fi
  kill -0 "$server_pid" 2>/dev/null || { echo "check-image: the server exited" >&2; exit 1; }
  sleep 0.5
done
echo "check-image: no healthy /healthz within 30 s" >&2
exit 1
