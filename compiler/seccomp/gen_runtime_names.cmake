# Writes runtime/seccomp_names_tables.inc: the x86-64, x32 and i386 syscall
# tables (already generated from the uapi headers by gen_syscall_table.cmake)
# as constant arrays for the launcher, which names the syscall a job was
# denied. The launcher builds without the compiler, so the result is
# committed; a test fails when it is stale.
#
#   cmake -DX86_64=... -DX32=... -DI386=... -DOUTPUT=... -P gen_runtime_names.cmake
cmake_minimum_required(VERSION 3.25)
set(out "// generated from the kernel uapi headers by compiler/seccomp/gen_runtime_names.cmake — do not edit\n")
string(APPEND out "// Regenerate: cmake --build <build> --target seccomp_names_refresh\n")
foreach(pair "kX86_64;${X86_64}" "kX32;${X32}" "kI386;${I386}")
  list(GET pair 0 var)
  list(GET pair 1 file)
  file(STRINGS "${file}" lines REGEX "^\\{")
  string(APPEND out "constexpr Entry ${var}[] = {\n")
  foreach(line IN LISTS lines)
    string(APPEND out "    ${line}\n")
  endforeach()
  string(APPEND out "};\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${out}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
