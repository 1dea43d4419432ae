# SPDX-License-Identifier: Apache-2.0
# The user's Bash script: arguments come positionally, the result is the JSON
# printed last on stdout (the wrapper saves that line to result2.out).
text="$1"
n="$2"
sha=$(printf '%s' "$text" | sha256sum | cut -d' ' -f1)
count=0
sum=0
for ((p = 2; p < n; p++)); do
  prime=1
  for ((d = 2; d * d <= p; d++)); do
    if ((p % d == 0)); then prime=0; break; fi
  done
  if ((prime)); then count=$((count + 1)); sum=$((sum + p)); fi
done
[ -e /root ] && root_visible=true || root_visible=false
printf '{"sha256": "%s", "prime_count": %d, "prime_sum": %d, "sandbox": {"hostname": "%s", "uid": %d, "cwd": "%s", "root_visible": %s}}\n' \
  "$sha" "$count" "$sum" "$(uname -n)" "$(id -u)" "$PWD" "$root_visible"
