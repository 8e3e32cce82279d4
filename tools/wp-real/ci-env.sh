#!/usr/bin/env bash
# Start the real WordPress for CI (or a local test run) and print `export` lines for
# the tests: WP_URL, WP_USER, WP_APP_PASSWORD, WP_CLOSED_POST_ID, ...
#   eval "$(tools/wp-real/ci-env.sh)"          # then: pytest (the wordpress tests run)
#   eval "$(tools/wp-real/ci-env.sh --fresh)"  # start from a newly seeded site
# Progress goes to stderr; on failure nothing is exported and the exit code is non-zero.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$("$HERE/start.sh" "$@") || { echo "wp-real: start.sh failed" >&2; exit 1; }
while IFS= read -r line; do
  if [[ "$line" =~ ^(WP_[A-Z_]+)=([A-Za-z0-9:/.,_@+-]*)$ ]]; then
    printf "export %s='%s'\n" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  fi
done <<<"$out"
