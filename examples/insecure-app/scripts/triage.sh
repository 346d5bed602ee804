#!/bin/sh
# Labels a pull request by the files it touches.
# DELIBERATELY INSECURE EXAMPLE: triage.yml runs this script from the pull
# request's own head commit, so the PR author decides what it does, and it runs
# with a write-all token.
set -e
python -m pip install -r requirements.txt
gh pr edit "$PR_NUMBER" --add-label needs-triage
