// SPDX-License-Identifier: Apache-2.0
// stockadec bpf --disasm FILE [NAME]: each policy's seccomp program.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/print.h"
#include "seccomp/seccomp.h"

namespace stockade::cli {

Action add_bpf(CLI::App& app, const Global& g) {
  auto disasm = std::make_shared<bool>(false);
  return add_policy_printer(
      app, g, "bpf",
      "print each policy's seccomp program (`bpf FILE [NAME] -o OUT`, `bpf --kafel FILE [-I DIR] -o OUT`: raw "
      "sock_filter bytes; `bpf --oci ...`: an OCI/Docker seccomp profile; compiler/seccomp/export_bpf.h)",
      [](const ir::PolicyIr& p) {
        std::cout << "# " << p.name() << "\n";
        if (p.seccomp().program().empty()) std::cout << "(no seccomp filter)\n";
        else std::cout << seccomp::disassemble(p.seccomp());
      },
      [disasm](CLI::App& cmd) { cmd.add_flag("--disasm", *disasm, "as disassembly")->required(); });
}

}  // namespace stockade::cli
