#!/usr/bin/env bash
# Prints the path of a working Python 3.10 (Rasa 3.6's ceiling): PATH first, then pyenv's
# installed versions, then the usual system places. Exits 1 with a hint when there is none.
set -u
works() { [ -n "$1" ] && "$1" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
for c in "${PYTHON310:-}" "$(command -v python3.10 2>/dev/null)"; do
  if works "$c"; then echo "$c"; exit 0; fi
done
for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
  if works "$c"; then echo "$c"; exit 0; fi
done
echo "No Python 3.10 found (Rasa 3.6 needs 3.8-3.10). Install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2
exit 1
