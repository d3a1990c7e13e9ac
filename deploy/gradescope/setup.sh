#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (in /autograder/source,
# the unpacked zip).  It installs bubblewrap (the sandbox of student code), a Python >= 3.11 of its
# own beside the image's python3 (which stays as it is), and a venv at $AUTOGRADER_ROOT/venv with the
# CPU build of torch, the runtime pins and the kit, installed editable: the graders stay in source/,
# which run_autograder makes readable by root only, and nothing of them is copied into the venv.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1

updated=""
apt_install() {
    if [ -z "$updated" ]; then apt-get update -q; updated=1; fi
    apt-get install -y -q --no-install-recommends "$@"
}

command -v bwrap >/dev/null || apt_install bubblewrap

# AUTOGRADER_PYTHON, if set, names the interpreter (the kit's tests give theirs)
python="${AUTOGRADER_PYTHON:-}"
for name in python3.13 python3.12 python3.11; do
    if [ -z "$python" ] && [ -x "/usr/bin/$name" ]; then python="/usr/bin/$name"; fi
done
if [ -z "$python" ]; then
    apt_install python3.11 python3.11-venv
    python=/usr/bin/python3.11
fi
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "$python is older than Python 3.11" >&2
    exit 1
}
# a new venv (over an old one of another Python it would not work); Debian and Ubuntu ship its pip
# apart, in python3.X-venv
rm -rf "$VENV"
if ! "$python" -m venv "$VENV"; then
    apt_install "$(basename "$python")-venv"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
fi
pip=("$VENV/bin/python" -m pip install)

# torch first, and its CPU build: a torch from PyPI, or an unpinned one, pulls CUDA (several GB)
torch="$(grep -E '^torch==[0-9]' "$SOURCE/requirements/runtime.txt")" || {
    echo "requirements/runtime.txt pins no torch==VERSION" >&2
    exit 1
}
"${pip[@]}" --timeout 20 --retries 0 --index-url "${TORCH_INDEX:-https://download.pytorch.org/whl/cpu}" "$torch" ||
    "${pip[@]}" "$torch"
"${pip[@]}" -r "$SOURCE/requirements/runtime.txt" || {
    echo "pip could not install requirements/runtime.txt with $("$python" -V) ($python): where it says a pin" \
        "needs a newer Python, choose Gradescope's Ubuntu 24.04 base image (Python 3.12) or set AUTOGRADER_PYTHON" >&2
    exit 1
}
# the kit, editable (pyproject.toml's build-system builds it)
"${pip[@]}" "setuptools>=64"
"${pip[@]}" --no-deps --no-build-isolation -e "$SOURCE"
