#!/usr/bin/env bash
# Install ROS 2 (rclpy + Fast DDS, from the pinned cp311 wheels in ros/requirements.txt) into
# .venv and build the executive_interfaces package into the venv prefix.
#
# Never fails the set-up: when something cannot be installed or built it says why and exits 0;
# the ROS tests then skip with a reason naming ROS 2. Idempotent: a second run checks a stamp
# (hash of the inputs) plus one import and returns in well under a second.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
BUILD="$ROOT/build/ros/executive_interfaces"
STAMP="$VENV/.executive_ros_stamp"
log() { echo "setup_ros: $*"; }
skip() { log "ROS 2 not installed: $* (the ROS tests will skip)"; exit 0; }

[ "${EXECUTIVE_SKIP_ROS:-0}" = "1" ] && skip "EXECUTIVE_SKIP_ROS=1"
[ -x "$PY" ] || skip "no .venv (run tools/setup.sh first)"
[ "$(uname -m)" = "x86_64" ] || skip "the ROS 2 wheels are x86_64 only (this is $(uname -m))"
pyver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")' 2>/dev/null) \
  || skip "cannot run $PY"
[ "$pyver" = "3.11" ] || skip "the ROS 2 wheels are cp311 only (this venv is Python $pyver)"

inputs_hash() {
  cat ros/requirements.txt tools/setup_ros.sh ros/executive_interfaces/package.xml \
      ros/executive_interfaces/CMakeLists.txt ros/executive_interfaces/action/* \
      ros/executive_interfaces/msg/* 2>/dev/null | sha256sum | cut -d' ' -f1
}
HASH=$(inputs_hash)
check_import() {
  "$PY" -c 'import rclpy, rclpy.action, executive_interfaces.action, executive_interfaces.msg' \
    >/dev/null 2>&1
}
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] && check_import; then
  log "up to date (rclpy + executive_interfaces import)"
  exit 0
fi

t0=$(date +%s)
# 1. wheels ------------------------------------------------------------------------------
if ! "$PY" -m pip install -q --disable-pip-version-check -r ros/requirements.txt \
      >"$VENV/.setup_ros_pip.log" 2>&1; then
  tail -5 "$VENV/.setup_ros_pip.log" | sed 's/^/setup_ros:   /'
  skip "pip could not install ros/requirements.txt (see .venv/.setup_ros_pip.log)"
fi
"$PY" -c 'import rclpy' >/dev/null 2>&1 || skip "rclpy installed but does not import"
t1=$(date +%s)
log "wheels installed in $((t1 - t0)) s"

# 2. build tools (Debian: cmake, ninja, a C/C++ compiler) ------------------------------------
missing=""
for tool in cmake ninja gcc g++; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing build tools:$missing"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
       cmake ninja-build gcc g++ >/dev/null) >/dev/null 2>&1 || skip "apt-get could not install$missing"
  else
    skip "missing build tools:$missing (apt-get install cmake ninja-build gcc g++)"
  fi
fi

# 3. the wheels' exported CMake files name the wheel builder's Python; point them at ours ----
PYINC=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
grep -rlZ --include='*.cmake' '/opt/python/cp311-cp311' "$VENV/share" 2>/dev/null \
  | xargs -0 -r sed -i \
      -e "s#/opt/python/cp311-cp311/include/python3\.11#$PYINC#g" \
      -e "s#/opt/python/cp311-cp311/lib/python3\.11/site-packages#$SITE#g"

# 4. build executive_interfaces and install it into the venv prefix -------------------------
# (the generated libraries have no RPATH: they are found through the venv's lib/, which the
# ros-wheels-bootstrapper puts on LD_LIBRARY_PATH)
export AMENT_PREFIX_PATH="$VENV" CMAKE_PREFIX_PATH="$VENV"
mkdir -p "$BUILD"
if ! { cmake -S ros/executive_interfaces -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
         -DCMAKE_INSTALL_PREFIX="$VENV" -DPython3_EXECUTABLE="$PY" -DPYTHON_EXECUTABLE="$PY" \
         -DBUILD_TESTING=OFF \
       && cmake --build "$BUILD" && cmake --install "$BUILD"; } >"$VENV/.setup_ros_build.log" 2>&1; then
  tail -15 "$VENV/.setup_ros_build.log" | sed 's/^/setup_ros:   /'
  skip "executive_interfaces did not build (see .venv/.setup_ros_build.log)"
fi
t2=$(date +%s)
log "executive_interfaces built and installed in $((t2 - t1)) s"
check_import || skip "executive_interfaces built but does not import"
echo "$HASH" >"$STAMP"
log "ROS 2 ready ($(ls "$SITE" | grep -c '^ros_.*dist-info$') ROS wheels, rmw_fastrtps_cpp)"
exit 0
