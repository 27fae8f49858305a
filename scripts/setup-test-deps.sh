#!/usr/bin/env bash
# Installs what `npm test` needs on a fresh Debian 12 machine, or says exactly what is missing.
# Idempotent and silent when everything is present. The compatibility tests use librdkafka clients
# from Debian (kcat, python3-confluent-kafka run by /usr/bin/python3, not a venv's python) and the
# browser tests drive Debian's chromium, because `npx playwright install` cannot download here.
set -euo pipefail

cd "$(dirname "$0")/.."

missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
/usr/bin/python3 -c 'import confluent_kafka' >/dev/null 2>&1 || missing+=(python3-confluent-kafka)
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup-test-deps: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup-test-deps: missing Debian packages: ${missing[*]}" >&2
    echo "  run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ ! -x node_modules/.bin/vitest ]; then
  echo "setup-test-deps: installing npm packages (npm ci)"
  # npm ci rejects this lock when the registry lacks optional platform packages (see .ci/run).
  npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
fi
