#!/usr/bin/env bash
# Install Princeton WordNet 3.0 (Debian's wordnet-base: /usr/share/wordnet), only when missing.
# Idempotent; called from tools/setup.sh. The language layer reads it with nltk's WordNet reader
# (executive/language/knowledge.py); nothing is downloaded at run time.
set -euo pipefail
if [ -f /usr/share/wordnet/data.noun ] && [ -f /usr/share/wordnet/index.noun ]; then
  echo "wordnet: present (/usr/share/wordnet)"
  exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/apt_install.sh"
apt_install_or_skip wordnet "the knowledge tests" wordnet-base
test -f /usr/share/wordnet/data.noun && echo "wordnet: installed (/usr/share/wordnet)"
