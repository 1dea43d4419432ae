// SPDX-License-Identifier: Apache-2.0
// stockadec: the policy compiler's command line. It only wires the stages
// together (front end -> seccomp -> back ends); the commands and their
// options live in cli/, one file per command.
#include <google/protobuf/stubs/common.h>

#include "cli/common.h"

int main(int argc, char** argv) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  return stockade::cli::run(argc, argv);
}
