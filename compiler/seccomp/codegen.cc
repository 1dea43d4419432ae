// SPDX-License-Identifier: Apache-2.0
#include "codegen.h"

#include "builder.h"
#include "dispatch.h"

namespace stockade::seccomp {

bool generate(const RuleSet& set, const CodegenOptions& options, Program& out, std::string& error) {
  Builder b;
  PlanStorage storage;
  const AbiInfo& native = abi_info(options.native);
  bool x86 = options.native == Abi::X86_64;
  bool want_i386 = x86 && set.foreign_abis.count(Abi::I386);
  bool want_x32 = x86 && set.foreign_abis.count(Abi::X32);
  Label kill = b.ret(kKillProcess);

  // 1. Architecture. Anything but the native ABI (and an opted-in i386) dies.
  Label is_native = b.label(), foreign = b.label();
  b.stmt(BPF_LD | BPF_W | BPF_ABS, kOffArch);
  b.cond(BPF_JMP | BPF_JEQ | BPF_K, native.audit_arch, is_native, want_i386 ? foreign : kill);

  // 2. The syscall number; on x86-64, numbers with the x32 bit are another ABI.
  b.bind(is_native);
  b.stmt(BPF_LD | BPF_W | BPF_ABS, kOffNr);
  uint32_t native_hi = 0xffffffffu;
  Label x32 = b.label();
  // Optimised and with x32 not opted in, the x32-bit kill is one more range
  // of the native search (it lies past every syscall, so it costs the
  // common path nothing) instead of a check every call pays.
  bool x32_in_tree = x86 && options.optimise && !want_x32;
  if (x86) {
    native_hi = kX32Bit - 1;
    if (!x32_in_tree) {
      Label plain = b.label();
      b.cond(BPF_JMP | BPF_JGE | BPF_K, kX32Bit, want_x32 ? x32 : kill, plain);
      b.bind(plain);
    }
  }
  // 3. Dispatch per ABI.
  AbiPlan native_plan = plan_abi(set, options.native, 0, native_hi, options.optimise, storage);
  if (x32_in_tree) {
    native_plan.has_tail = true;
    native_plan.tail_from = kX32Bit;
    native_plan.tail_action = kKillProcess;
  }
  emit_dispatch(native_plan, b, options.optimise);
  if (want_x32) {
    b.bind(x32);
    emit_dispatch(plan_abi(set, Abi::X32, kX32Bit, 0xffffffffu, options.optimise, storage), b, options.optimise);
  }
  if (want_i386) {
    Label i386 = b.label();
    b.bind(foreign);
    b.cond(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, i386, kill);
    b.bind(i386);
    b.stmt(BPF_LD | BPF_W | BPF_ABS, kOffNr);
    emit_dispatch(plan_abi(set, Abi::I386, 0, 0xffffffffu, options.optimise, storage), b, options.optimise);
  }
  return b.assemble(out, error);
}

}  // namespace stockade::seccomp
