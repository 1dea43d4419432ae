#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest completion_bash: the bash completion completes commands, policy
# names, run's options and a policy's params (for `--param NAME` and
# `--param=NAME`), and stockadec's per-command options.
# Usage: check_completion.sh COMPLETION_FILE STOCKADE STOCKADEC
set -u
bash_completion=/usr/share/bash-completion/bash_completion
if [ ! -r "$bash_completion" ]; then
  echo "skipped: bash-completion is not installed (apt-get install bash-completion)"
  exit 77
fi
. "$bash_completion"
. "$1"
stockade=$2 stockadec=$3
failures=0

# complete FUNCTION WORD... : COMPREPLY for the last word (the one being typed).
complete_words() {
  local fn=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_LINE=${COMP_LINE// = /=}  # the line as typed: bash split `--opt=x` at the =
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$fn"
  printf '%s\n' "${COMPREPLY[@]}"
}

expect() {  # expect WANT GOT LABEL: WANT's every line is in GOT
  local want=$1 got=$2 label=$3 w
  while IFS= read -r w; do
    [ -z "$w" ] && continue
    if ! grep -qxF -- "$w" <<<"$got"; then
      echo "FAIL: $label: no '$w' in: $(tr '\n' ' ' <<<"$got")"
      failures=$((failures + 1))
    fi
  done <<<"$want"
}

expect "$(printf 'run\nshow\nlist\nhelp')" "$(complete_words _stockade "$stockade" "")" "commands"
expect "python3" "$(complete_words _stockade "$stockade" run py)" "policy names"
policies=$(complete_words _stockade "$stockade" show "")
[ "$(grep -vc -- '^--' <<<"$policies")" -eq "$("$stockade" list | wc -l)" ] ||
  { echo "FAIL: show completes $(grep -vc -- '^--' <<<"$policies") names, list has $("$stockade" list | wc -l)"; failures=$((failures + 1)); }
expect "$(printf -- '--param\n--param-file\n--report')" "$(complete_words _stockade "$stockade" run python3 --)" "run options"
expect "$(printf 'JOB_DIR=\nPY_INSTALL_DIR=\nDEPS=\nTIMEOUT=')" \
  "$(complete_words _stockade "$stockade" run python3 --param "")" "python3's params"
got=$(complete_words _stockade "$stockade" run python3 --param "PY_")
[ "$got" = "PY_INSTALL_DIR=" ] || { echo "FAIL: --param PY_ completes '$got'"; failures=$((failures + 1)); }
expect "TIMEOUT=" "$(complete_words _stockade "$stockade" show bash --param TI)" "show's params"
# bash splits `--param=PY_` at '=' (COMP_WORDBREAKS): three words.
got=$(complete_words _stockade "$stockade" run python3 --param = PY_)
[ "$got" = "PY_INSTALL_DIR=" ] || { echo "FAIL: --param=PY_ completes '$got'"; failures=$((failures + 1)); }
expect "$(printf 'check\ncompile\nimport-nsjail')" "$(complete_words _stockadec "$stockadec" "")" "stockadec commands"
expect "$(printf -- '--name\n--from\n--output')" "$(complete_words _stockadec "$stockadec" compile --)" "compile options"
got=$(complete_words _stockadec "$stockadec" explain --)
grep -qx -- "--name" <<<"$got" && { echo "FAIL: explain offers --name, which it does not take"; failures=$((failures + 1)); }

echo "$failures failures"
[ "$failures" -eq 0 ]
