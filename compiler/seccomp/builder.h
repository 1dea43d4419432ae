// SPDX-License-Identifier: Apache-2.0
// Code with symbolic labels, and the pass that turns it into a classic-BPF
// program: shared return blocks are placed last, labels become jump offsets,
// conditional jumps that cannot reach their target in 8 bits get a `ja`
// trampoline, and the kernel's length limit is checked.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bpf.h"
#include "rules.h"

namespace stockade::seccomp {

using Label = uint32_t;

class Builder {
 public:
  Label label();
  void bind(Label l);
  void stmt(uint16_t code, uint32_t k);                    // non-jump
  void cond(uint16_t code, uint32_t k, Label t, Label f);  // BPF_JMP | op | BPF_K/X
  void ja(Label target);
  // A label whose code is `ret #action`; one shared block per action.
  Label ret(Action action);

  // Resolves every label. On failure (a limit exceeded or an internal
  // inconsistency) returns false and sets `error`.
  bool assemble(Program& out, std::string& error);

 private:
  enum class Kind { Plain, Cond, Ja, Bind };
  struct Item {
    Kind kind;
    Insn insn;
    Label t = 0, f = 0;  // Cond: both; Ja: t; Bind: t is the label
  };
  static void drop_redundant_loads(std::vector<Item>& items);
  std::vector<Item> items_;
  Label next_label_ = 0;
  std::map<Action, Label> rets_;
  std::map<Label, Action> ret_of_;  // the reverse of rets_
};

}  // namespace stockade::seccomp
