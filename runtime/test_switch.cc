#include "test_switch.h"

#include <stdlib.h>

namespace stockade {

#ifdef STOCKADE_TEST_SWITCHES
bool test_switch(const char* name) {
  const char* v = getenv(name);
  return v != nullptr && v[0] == '1' && v[1] == '\0';
}
#endif

}  // namespace stockade
