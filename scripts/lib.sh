# Shared set-up steps for scripts/serve and scripts/test. Sourced, not run.

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "error: '$*' needs root; run it as root or install sudo" >&2
    return 1
  fi
}

apt_install() {
  # Install Debian packages, refreshing the package lists once if they are stale.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$@" >/dev/null \
    || { as_root apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$@" >/dev/null; }
}

ensure_venv() {
  # A virtual environment in .venv; Debian splits venv support into python3-venv.
  if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
      rm -rf .venv
      echo "installing Debian's python3-venv (needed to create .venv)"
      apt_install python3-venv
      "$PYTHON" -m venv .venv
    fi
    .venv/bin/python -m pip install -q --upgrade pip
  fi
}

ensure_chromium() {
  # Browser tests drive Debian's chromium; Playwright's own browser download is not used.
  if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium for the browser tests"
    apt_install chromium
  fi
}
