# Sourced by tools/install_*.sh: install Debian packages that some tests need, or say which tests
# will skip and leave the script with exit 0 (a machine without apt-get or root still sets up).
#   apt_install_or_skip LABEL "WHAT WILL SKIP" PACKAGE...
apt_install_or_skip() {
  local label=$1 skips=$2
  shift 2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$label: missing and apt-get is not available; $skips will skip" >&2
    exit 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "$label: missing and not root (no sudo); $skips will skip" >&2
      exit 0
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}
