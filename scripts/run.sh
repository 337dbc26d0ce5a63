#!/usr/bin/env bash
# Install the runtime requirements and start the dashboard (http://localhost:8501 by default).
# Extra arguments are passed to `streamlit run`, e.g. `bash scripts/run.sh --server.port 8502`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
python3 -m pip install -q -r requirements.txt
exec python3 -m streamlit run app.py "$@"
