// SPDX-License-Identifier: Apache-2.0
#include "builder.h"

#include <algorithm>

#include <set>

namespace stockade::seccomp {

Label Builder::label() { return next_label_++; }
void Builder::bind(Label l) { items_.push_back({Kind::Bind, {}, l, 0}); }
void Builder::stmt(uint16_t code, uint32_t k) { items_.push_back({Kind::Plain, stmt_insn(code, k), 0, 0}); }
void Builder::cond(uint16_t code, uint32_t k, Label t, Label f) {
  // Both ways to one place is an unconditional jump.
  if (t == f) {
    ja(t);
    return;
  }
  items_.push_back({Kind::Cond, Insn{code, 0, 0, k}, t, f});
}
void Builder::ja(Label target) {
  // Jumping to a return costs two steps; returning right here costs one.
  auto r = ret_of_.find(target);
  if (r != ret_of_.end()) {
    stmt(BPF_RET | BPF_K, r->second);
    return;
  }
  items_.push_back({Kind::Ja, Insn{BPF_JMP | BPF_JA, 0, 0, 0}, target, 0});
}

Label Builder::ret(Action action) {
  auto it = rets_.find(action);
  if (it != rets_.end()) return it->second;
  Label l = label();
  rets_[action] = l;
  ret_of_[l] = action;
  return l;
}

namespace {
// An instruction whose jump targets are instruction indices.
struct Node {
  Insn insn;
  bool is_cond = false;
  bool is_ja = false;
  size_t t = 0, f = 0;
};
}  // namespace

namespace {

// What A holds at a point: the seccomp_data word at that offset, or
// kUnknown, or kUnreached (no path gets here yet).
constexpr int64_t kUnknown = -1;
constexpr int64_t kUnreached = -2;

int64_t meet(int64_t a, int64_t b) {
  if (a == kUnreached) return b;
  if (b == kUnreached) return a;
  return a == b ? a : kUnknown;
}

}  // namespace

// Drops `ld [k]` where A already holds word k on every path that reaches it
// (`fd == 1 || fd == 2` loads fd once). Jumps only go forward, so one pass in
// order sees every way into a label before the label.
void Builder::drop_redundant_loads(std::vector<Item>& items) {
  std::map<Label, int64_t> at_label;
  int64_t cur = kUnknown;
  auto jump = [&](Label l) {
    auto it = at_label.find(l);
    at_label[l] = it == at_label.end() ? cur : meet(it->second, cur);
  };
  std::vector<Item> kept;
  kept.reserve(items.size());
  for (const Item& it : items) {
    switch (it.kind) {
      case Kind::Bind: {
        auto in = at_label.find(it.t);
        cur = meet(cur, in == at_label.end() ? kUnreached : in->second);
        if (cur == kUnreached) cur = kUnknown;
        break;
      }
      case Kind::Cond:
        jump(it.t);
        jump(it.f);
        cur = kUnreached;
        break;
      case Kind::Ja:
        jump(it.t);
        cur = kUnreached;
        break;
      case Kind::Plain: {
        uint16_t code = it.insn.code;
        if (code == (BPF_LD | BPF_W | BPF_ABS)) {
          if (cur == static_cast<int64_t>(it.insn.k)) continue;  // already there
          cur = it.insn.k;
        } else if (BPF_CLASS(code) == BPF_RET) {
          cur = kUnreached;
        } else if (BPF_CLASS(code) == BPF_ST || BPF_CLASS(code) == BPF_STX || BPF_CLASS(code) == BPF_LDX ||
                   code == (BPF_MISC | BPF_TAX)) {
          // X and scratch words change; A does not.
        } else {
          cur = kUnknown;
        }
        break;
      }
    }
    kept.push_back(it);
  }
  items = std::move(kept);
}

bool Builder::assemble(Program& out, std::string& error) {
  std::vector<Item> items = items_;
  drop_redundant_loads(items);
  std::set<Label> used;
  for (const Item& it : items) {
    if (it.kind == Kind::Cond) used.insert(it.f);
    if (it.kind == Kind::Cond || it.kind == Kind::Ja) used.insert(it.t);
  }
  // Return blocks last, ordered by action value so output is deterministic;
  // those every path returns from inline are left out.
  for (const auto& [action, l] : rets_) {
    if (!used.count(l)) continue;
    items.push_back({Kind::Bind, {}, l, 0});
    items.push_back({Kind::Plain, stmt_insn(BPF_RET | BPF_K, action), 0, 0});
  }

  // Labels -> the index of the next real instruction.
  std::map<Label, size_t> where;
  size_t count = 0;
  for (const Item& it : items) {
    if (it.kind == Kind::Bind) where[it.t] = count;
    else ++count;
  }
  std::vector<Node> nodes;
  auto target = [&](Label l, size_t& out_index) {
    auto w = where.find(l);
    if (w == where.end()) return false;
    out_index = w->second;
    return true;
  };
  for (const Item& it : items) {
    if (it.kind == Kind::Bind) continue;
    Node n;
    n.insn = it.insn;
    if (it.kind == Kind::Cond || it.kind == Kind::Ja) {
      n.is_cond = it.kind == Kind::Cond;
      n.is_ja = it.kind == Kind::Ja;
      if (!target(it.t, n.t) || (n.is_cond && !target(it.f, n.f))) {
        error = "internal error: jump to an unbound label";
        return false;
      }
    }
    nodes.push_back(n);
  }

  // Drop jumps to the very next instruction (they cost a step each).
  for (size_t i = 0; i < nodes.size();) {
    if (nodes[i].is_ja && nodes[i].t == i + 1) {
      nodes.erase(nodes.begin() + static_cast<long>(i));
      for (Node& n : nodes) {
        if (n.t > i) --n.t;
        if (n.f > i) --n.f;
      }
      continue;
    }
    ++i;
  }

  // Far returns, shared: a conditional jump reaches at most 255
  // instructions ahead, and the `ret` blocks are at the end. A far side
  // whose target is a `ret` goes to a copy of it within reach: one already
  // there, or one put in as far ahead as the jump reaches, after an
  // instruction that never falls through (a jump or a return), so the jumps
  // that follow can use the same copy (one copy per 255 instructions and
  // action, where a copy per jump made large programs a third longer).
  auto is_ret = [&](size_t k) { return BPF_CLASS(nodes[k].insn.code) == BPF_RET; };
  auto insert_at = [&](size_t p, const Node& node) {
    for (Node& m : nodes) {
      if ((m.is_cond || m.is_ja) && m.t >= p) ++m.t;
      if (m.is_cond && m.f >= p) ++m.f;
    }
    nodes.insert(nodes.begin() + static_cast<long>(p), node);
  };
  // Inserting a copy lengthens the jumps across it: repeat until no far
  // side to a `ret` is left (bounded, the trampolines below take any rest).
  for (int pass = 0, changed = 1; changed && pass < 64; ++pass) {
    changed = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (!nodes[i].is_cond) continue;
      for (int side = 0; side < 2; ++side) {
        size_t to = side ? nodes[i].f : nodes[i].t, reach = i + 1 + kMaxCondJump;
        if (to <= reach || !is_ret(to)) continue;
        Insn ret = nodes[to].insn;
        size_t copy = 0;
        for (size_t k = std::min(reach, nodes.size() - 1); k > i && !copy; --k)
          if (is_ret(k) && nodes[k].insn.code == ret.code && nodes[k].insn.k == ret.k) copy = k;
        if (!copy) {
          for (size_t p = std::min(reach, nodes.size() - 1); p > i + 1 && !copy; --p)
            if (nodes[p - 1].is_cond || nodes[p - 1].is_ja || is_ret(p - 1)) copy = p;
          if (!copy) continue;  // no place: the trampoline below
          insert_at(copy, Node{ret, false, false, 0, 0});
        }
        (side ? nodes[i].f : nodes[i].t) = copy;
        changed = 1;
      }
    }
  }

  // Trampolines: a conditional jump reaches at most 255 instructions ahead;
  // a far side goes to an inserted `ja`, which reaches 2^32. Inserting moves
  // everything after it, so repeat until nothing is far.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < nodes.size(); ++i) {
      Node& n = nodes[i];
      if (!n.is_cond) continue;
      bool far_t = n.t > i + 1 + kMaxCondJump;
      bool far_f = n.f > i + 1 + kMaxCondJump;
      if (!far_t && !far_f) continue;
      size_t t = n.t, f = n.f;
      size_t inserted = (far_t ? 1 : 0) + (far_f ? 1 : 0);
      for (Node& m : nodes) {
        if ((m.is_cond || m.is_ja) && m.t > i) m.t += inserted;
        if (m.is_cond && m.f > i) m.f += inserted;
      }
      t = t > i ? t + inserted : t;
      f = f > i ? f + inserted : f;
      std::vector<Node> tramp;
      size_t at = i + 1;
      // A far `ret` is copied next to the jump instead: as long as a `ja`
      // and one step shorter on the path.
      // `to` is the target's index after the insertion, which has not
      // happened yet: the target itself is still at to - inserted (reading
      // nodes[to] here copied the wrong `ret` into large programs).
      auto hop = [&](size_t to) {
        const Node& dest = nodes[to - inserted];
        if (dest.insn.code == (BPF_RET | BPF_K)) return Node{dest.insn, false, false, 0, 0};
        return Node{Insn{BPF_JMP | BPF_JA, 0, 0, 0}, false, true, to, 0};
      };
      if (far_t) {
        tramp.push_back(hop(t));
        nodes[i].t = at++;
      }
      if (far_f) {
        tramp.push_back(hop(f));
        nodes[i].f = at++;
      }
      nodes.insert(nodes.begin() + static_cast<long>(i) + 1, tramp.begin(), tramp.end());
      changed = true;
      break;
    }
  }

  if (nodes.size() > kMaxInsns) {
    error = "seccomp program has " + std::to_string(nodes.size()) + " instructions, over the kernel limit of " +
            std::to_string(kMaxInsns) + " (BPF_MAXINSNS)";
    return false;
  }
  out.clear();
  for (size_t i = 0; i < nodes.size(); ++i) {
    Insn insn = nodes[i].insn;
    if (nodes[i].is_cond || nodes[i].is_ja) {
      if (nodes[i].t <= i || (nodes[i].is_cond && nodes[i].f <= i)) {
        error = "internal error: backward jump at instruction " + std::to_string(i);
        return false;
      }
      if (nodes[i].is_ja) {
        insn.k = static_cast<uint32_t>(nodes[i].t - i - 1);
      } else {
        insn.jt = static_cast<uint8_t>(nodes[i].t - i - 1);
        insn.jf = static_cast<uint8_t>(nodes[i].f - i - 1);
      }
    }
    out.push_back(insn);
  }
  return true;
}

}  // namespace stockade::seccomp
