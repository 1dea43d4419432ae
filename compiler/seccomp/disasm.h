// SPDX-License-Identifier: Apache-2.0
// `stockadec bpf --disasm`: one line per instruction, absolute jump targets,
// and a comment naming what is compared: the architecture, the x32 bit, the
// syscall (by name, in the ABI the path has established) or the argument word.
#pragma once

#include <string>

#include "bpf.h"

namespace stockade::seccomp {

std::string disassemble_program(const Program& p);

}  // namespace stockade::seccomp
