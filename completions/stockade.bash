# SPDX-License-Identifier: Apache-2.0
# bash completion for stockade(1) and stockadec(1): commands, options, the
# launcher's policy names (`stockade list`) and a policy's params (the
# `parameters:` block of `stockade show NAME`), policy files for stockadec.
# Installed as share/bash-completion/completions/{stockade,stockadec}.

_stockade_policy_params() {  # $1: the launcher, $2: the policy
  "$1" show "$2" 2>/dev/null | awk '/^parameters:/ { on = 1; next }
                                   on && /^  [A-Za-z_][A-Za-z0-9_]*:/ { sub(/^  /, ""); sub(/:.*/, "="); print; next }
                                   on { exit }'
}

_stockade() {
  local cur prev words cword
  _init_completion -n = || return
  local exe=${words[0]} cmd="" policy="" i
  for ((i = 1; i < cword; i++)); do
    [[ ${words[i]} == -- ]] && { _command_offset $((i + 1)); return; }
    if [[ -z $cmd ]]; then
      [[ ${words[i]} != -* ]] && cmd=${words[i]}
    elif [[ -z $policy && ${words[i]} != -* ]]; then
      policy=${words[i]}
    fi
  done
  # --opt=VALUE: complete VALUE as for `--opt VALUE`.
  if [[ $cur == --*=* ]]; then
    prev=${cur%%=*}
    cur=${cur#*=}
  fi
  case $prev in
    --param)
      [[ -n $policy ]] && COMPREPLY=($(compgen -W "$(_stockade_policy_params "$exe" "$policy")" -- "$cur"))
      compopt -o nospace 2>/dev/null
      return ;;
    --param-file)
      if [[ $cur == *=* ]]; then
        cur=${cur#*=}
        _filedir
      elif [[ -n $policy ]]; then
        COMPREPLY=($(compgen -W "$(_stockade_policy_params "$exe" "$policy")" -- "$cur"))
        compopt -o nospace 2>/dev/null
      fi
      return ;;
    --report) _filedir; return ;;
    --cgroup) _filedir -d; return ;;
    --report-fd | --stats-fd | --stats-interval | --logged-max) return ;;
  esac
  if [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W "run show list help --help --version" -- "$cur"))
    return
  fi
  case $cmd in
    help) [[ $cword -eq 2 ]] && COMPREPLY=($(compgen -W "run show list help" -- "$cur")) ;;
    run | show)
      if [[ -z $policy ]]; then
        COMPREPLY=($(compgen -W "$("$exe" list 2>/dev/null) --help" -- "$cur"))
      elif [[ $cmd == run ]]; then
        COMPREPLY=($(compgen -W "--param --param-file --report --report-fd --cgroup --stats-fd --stats-interval --learn --logged-max -- --help" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "--param --param-file --help" -- "$cur"))
      fi ;;
    list) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
  esac
}
complete -F _stockade stockade

_stockadec() {
  local cur prev words cword
  _init_completion || return
  local cmd="" i
  for ((i = 1; i < cword; i++)); do
    [[ ${words[i]} != -* ]] && { cmd=${words[i]}; break; }
  done
  case $prev in
    -I | --include-dir | --root) _filedir -d; return ;;
    -o | --output)
      if [[ $cmd == compile ]]; then _filedir -d; else _filedir policy; fi
      return ;;
    --name | --from)
      [[ $prev == --from ]] && _filedir policy
      return ;;
  esac
  if [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W "check compile explain ir bpf import-nsjail -q --quiet -v --verbose --help --version" -- "$cur"))
    return
  fi
  local input="-I --include-dir --root --help -q -v"
  local opts
  case $cmd in
    check) opts=$input ;;
    compile) opts="$input -o --output --name --from" ;;
    explain | ir) opts=$input ;;
    bpf) opts="$input --disasm" ;;
    import-nsjail) opts="--name -o --output --help -q -v" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ $cmd == import-nsjail ]]; then
    _filedir
  else
    _filedir policy
  fi
}
complete -F _stockadec stockadec
