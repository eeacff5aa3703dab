# Sourced by scripts/demo and scripts/test: create .venv and keep it in step with requirements.txt.
# A stamp file holds the hash of the requirements last installed, so an unchanged file costs nothing.

ensure_venv() {
    local python="${PYTHON:-python3}"
    if [ ! -x .venv/bin/python ]; then
        if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "error: Python 3.11 or newer is needed as '$python' (set PYTHON=/path/to/python3.11)." >&2
            exit 1
        fi
        echo "==> Creating the virtual environment in .venv"
        "$python" -m venv .venv || {
            echo "error: '$python -m venv' failed; on Debian/Ubuntu install python3-venv." >&2
            exit 1
        }
    fi
    local stamp=.venv/.requirements.sha256
    local wanted
    wanted="$(sha256sum requirements.txt | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "==> Installing requirements.txt into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
        echo "$wanted" >"$stamp"
    fi
}
