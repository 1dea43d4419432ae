# SPDX-License-Identifier: Apache-2.0
# The shape of the wrapper Windmill's bash executor writes: run the user's
# main.sh with the job's arguments, show its output as it comes, and keep its
# last line in result2.out for the worker.
set -o pipefail
set -e
out=/tmp/result2.out
bash /tmp/main.sh "$@" 2>&1 | while IFS= read -r line || [ -n "$line" ]; do
  printf '%s\n' "$line"
  printf '%s\n' "$line" > "$out"
done
