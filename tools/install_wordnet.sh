#!/usr/bin/env bash
# Install Princeton WordNet 3.0 (Debian's wordnet-base: /usr/share/wordnet), only when missing.
# Idempotent; called from tools/setup.sh. The language layer reads it with nltk's WordNet reader
# (executive/language/knowledge.py); nothing is downloaded at run time.
set -euo pipefail
if [ -f /usr/share/wordnet/data.noun ] && [ -f /usr/share/wordnet/index.noun ]; then
  echo "wordnet: present (/usr/share/wordnet)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "wordnet: missing and apt-get is not available; the knowledge tests will skip" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "wordnet: missing and not root (no sudo); the knowledge tests will skip" >&2
    exit 0
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wordnet-base
test -f /usr/share/wordnet/data.noun && echo "wordnet: installed (/usr/share/wordnet)"
