// The launcher links no libstdc++. Header-only std types still name a few
// of its error hooks (std::string_view::substr checks its position and would
// throw); with -fno-exceptions the only sane answer to such a bug is to stop
// at once.
#include <stdlib.h>

namespace std {
[[noreturn]] void __throw_out_of_range_fmt(const char*, ...) { abort(); }
[[noreturn]] void __throw_out_of_range(const char*) { abort(); }
[[noreturn]] void __throw_length_error(const char*) { abort(); }
[[noreturn]] void __throw_logic_error(const char*) { abort(); }
}  // namespace std
