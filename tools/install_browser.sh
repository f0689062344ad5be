#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the viewer's browser tests, only when missing.
# Idempotent; called from tools/setup.sh. Playwright drives /usr/bin/chromium (never `playwright install`).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  echo "chromium: present ($(/usr/bin/chromium --version 2>/dev/null || echo unknown))"
  exit 0
fi
. "$(dirname "${BASH_SOURCE[0]}")/apt_install.sh"
apt_install_or_skip chromium "the viewer's browser tests" chromium fonts-dejavu-core
/usr/bin/chromium --version || true
