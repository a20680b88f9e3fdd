#!/usr/bin/env bash
# opsconsole developer entry point: installs what is needed, then runs, tests or benchmarks.
#
#   ./dev.sh run [ARGS...]   install and launch the console (default database in the user data dir)
#   ./dev.sh test [PYTEST ARGS...]
#                            install everything and run the quality gates and the whole test suite
#   ./dev.sh bench [ARGS...] install and run the benchmarks (python -m benchmarks)
#   ./dev.sh package [ARGS...]
#                            install PyInstaller and build the packaged console, its archive
#                            and .deb into dist/ (python packaging/build.py)
#
# Debian/Ubuntu packages (Xvfb, Mesa GL, the xcb/xkbcommon libraries Qt needs) are installed
# with apt-get when missing (sudo is used when not root). Python packages go into .venv
# (override with OPSCONSOLE_VENV). Needs Python 3.11 or newer as python3 (or $PYTHON).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${OPSCONSOLE_VENV:-.venv}
APT_PACKAGES=(
  xvfb xauth libgl1 libegl1 libgl1-mesa-dri libglx-mesa0 libfontconfig1 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
)

say() { printf '\033[1m[dev.sh]\033[0m %s\n' "$*" >&2; }

need_python() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "opsconsole needs Python 3.11 or newer as '$PYTHON' (set PYTHON=...)"; exit 1
  fi
}

apt_install() {
  local missing=() pkg sudo=""
  command -v dpkg >/dev/null || { say "not a Debian/Ubuntu system: install ${APT_PACKAGES[*]} yourself"; return 0; }
  for pkg in "${APT_PACKAGES[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=("python3-venv")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 1; }
    sudo=sudo
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

venv_install() {  # $1: extras, e.g. "" or "test,dev"
  local extras=$1 spec=. stamp
  [ -n "$extras" ] && spec=".[$extras]"
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
  stamp="$VENV/.opsconsole-installed-$(echo "$extras" | tr ',' '-')"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "installing opsconsole ${spec} into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$spec"
    touch "$stamp"
  fi
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  run)
    need_python; apt_install; venv_install ""
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${1:-}" = selftest ]; then
      exec xvfb-run -a -s "-screen 0 2560x1600x24" "$VENV/bin/opsconsole" "$@"  # headless
    fi
    exec "$VENV/bin/opsconsole" "$@"
    ;;
  test)
    need_python; apt_install; venv_install "test,dev,package,cluster"
    # separate commands: under set -e a failure inside an && list would not stop the run
    say "ruff";          "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    say "mypy";          "$VENV/bin/mypy"
    say "import-linter"; "$VENV/bin/lint-imports"
    say "pytest"
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  package)
    need_python; apt_install; venv_install "package"
    exec "$VENV/bin/python" packaging/build.py "$@"
    ;;
  bench)
    need_python; apt_install; venv_install "cluster"
    exec "$VENV/bin/python" -m benchmarks "$@"
    ;;
  *)
    sed -n '2,15p' "$0" >&2; exit 2
    ;;
esac
