// x86-64 syscall names by number, for messages only. The table is made at
// build time from the kernel's <asm/unistd_64.h> (build_launcher.cmake).
#pragma once

#include <stdint.h>

namespace stockade {

// nullptr when the number has no name.
const char* syscall_name(uint32_t nr);

}  // namespace stockade
