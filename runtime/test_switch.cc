// SPDX-License-Identifier: Apache-2.0
#include "test_switch.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace stockade {

#ifdef STOCKADE_TEST_SWITCHES
bool test_switch(const char* name) {
  const char* v = getenv(name);
  return v != nullptr && v[0] == '1' && v[1] == '\0';
}

void test_stop_at(const char* point) {
  const char* v = getenv("STOCKADE_TEST_STOP_AT");
  if (v != nullptr && strcmp(v, point) == 0) kill(getpid(), SIGSTOP);
}
#endif

}  // namespace stockade
