#include "rlimits.h"

#include <errno.h>
#include <sys/resource.h>

#include "text.h"

namespace stockade {
namespace {

struct Resource {
  int id;
  const char* name;
};

Resource resource(table::Rlimit r) {
  using table::Rlimit;
  switch (r) {
    case Rlimit::As: return {RLIMIT_AS, "RLIMIT_AS"};
    case Rlimit::Core: return {RLIMIT_CORE, "RLIMIT_CORE"};
    case Rlimit::Cpu: return {RLIMIT_CPU, "RLIMIT_CPU"};
    case Rlimit::Fsize: return {RLIMIT_FSIZE, "RLIMIT_FSIZE"};
    case Rlimit::Nofile: return {RLIMIT_NOFILE, "RLIMIT_NOFILE"};
    case Rlimit::Nproc: return {RLIMIT_NPROC, "RLIMIT_NPROC"};
    case Rlimit::Stack: return {RLIMIT_STACK, "RLIMIT_STACK"};
    case Rlimit::Memlock: return {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"};
    case Rlimit::Msgqueue: return {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"};
    case Rlimit::Rtprio: return {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"};
  }
  return {-1, "?"};
}

void add_limit(TextBuf& t, uint64_t v) {
  if (v == RLIM_INFINITY) t.add("inf");
  else t.add_u64(v);
}

}  // namespace

bool apply_rlimits(const Plan& plan, Failure& f) {
  for (int i = 0; i < kRlimitCount; ++i) {
    const PlanRlimit& l = plan.rlimits[i];
    if (!l.set) continue;
    Resource r = resource(static_cast<table::Rlimit>(i));
    rlimit value{l.soft, l.hard};
    // prlimit on ourselves, not setrlimit: musl's setrlimit falls back to
    // setting every thread's limit (__synccall), ~2 KB of the launcher.
    if (prlimit(0, r.id, &value, nullptr) != 0) {
      int err = errno;
      Text<96> v;
      v.add(r.name).add(" soft ");
      add_limit(v, l.soft);
      v.add(" hard ");
      add_limit(v, l.hard);
      if (err == EPERM) v.add(" (above the launcher's hard limit?)");
      return fail(f, Step::Rlimits, "setrlimit", v.view(), err);
    }
  }
  return true;
}

}  // namespace stockade
