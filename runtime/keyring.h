// SPDX-License-Identifier: Apache-2.0
// Keyrings are not namespaced: without this the job would inherit the
// launcher's session keyring (and could read the worker's keys in it).
#pragma once

#include "fail.h"

namespace stockade {

// Joins a fresh anonymous session keyring. A kernel without keys
// (ENOSYS) has nothing to leak.
bool new_session_keyring(Failure& f);

}  // namespace stockade
