#!/usr/bin/env bash
# Run the whole test suite: unit tests, AppTest tests and real-browser (Chromium) e2e tests.
#
#   bash scripts/test.sh                 # everything under tests/
#   bash scripts/test.sh -m "not e2e"    # extra arguments are passed to pytest
#
# Browser tests launch Debian's /usr/bin/chromium; never run `playwright install`.
# Exits non-zero if any test fails, and also if pytest collects no tests (pytest exit code 5).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
python3 -m pip install -q -r requirements-dev.txt

if [ ! -x /usr/bin/chromium ]; then
    if [ -r /etc/debian_version ] && [ "$(id -u)" -eq 0 ]; then
        echo "test.sh: /usr/bin/chromium is missing; installing Debian's chromium package" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q chromium fonts-liberation
    else
        echo "test.sh: /usr/bin/chromium is missing, so the e2e browser tests (tests/e2e) will fail." >&2
        echo "test.sh: install it as root with: apt-get update && apt-get install -y chromium" >&2
        echo "test.sh: (or run only the other tests with: bash scripts/test.sh -m 'not e2e')" >&2
    fi
fi

status=0
python3 -m pytest -q tests "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "test.sh: pytest collected no tests (exit code 5); treating that as a failure" >&2
fi
exit "$status"
