// SPDX-License-Identifier: Apache-2.0
// stockade-launch-bench: how long `stockade run` takes to start and finish a
// do-nothing job, beside plain /bin/true, unshare and bubblewrap with the
// same isolation, all timed in this process, in both network modes (none:
// a network namespace of its own; host). Prints figures and the launch
// targets (issue 15: ratios against the kernel's floor measured in the same
// run) as PASS/FAIL lines; the targets never change the exit status. Exit 1
// only when something could not be launched at all.
//
//   stockade-launch-bench --launcher BUILD/stockade-bench
//       [--noop BUILD/tests/bench/launch-noop] [--rss-helper BUILD/tests/bench/launch-rss]
//       [--bwrap /usr/bin/bwrap] [--unshare /usr/bin/unshare] [--runs 1000] [--jobs 400]
//       [--policy NAME]   (another launcher's policy for the 0-bind rows, e.g. python3)
//       [--shipped-launcher BUILD/stockade]   (size of the launcher that ships)
//
// tests/bench/launch.sh builds everything and runs it.

#include <fcntl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "launch_bwrap_filter.h"
#include "launch_commands.h"
#include "launch_elf.h"
#include "launch_fixture.h"
#include "launch_memory.h"
#include "launch_report.h"
#include "launch_variant.h"

namespace stockade::bench {
namespace {

struct Options {
  Tools tools;
  std::string noop;
  std::string rss_helper;
  std::string shipped;  // the shipped launcher, for its size: the target is about what ships
  int runs = 1000;      // the 3x-median target is "in 1000"
  int warmup = 20;
  int jobs = 400;
  bool bwrap_seccomp = true;
};

// The figures the target lines are judged on, per network mode (index
// static_cast<int>(Net)).
struct ModeResults {
  std::optional<Summary> stockade, floor, bwrap;
  std::optional<double> stockade_cpu_us, floor_cpu_us;  // system-wide CPU per launch
  std::optional<double> stockade_jobs_s, floor_jobs_s;  // at 8 in flight
};

struct Results {
  ModeResults mode[2];
  std::optional<double> bind_wall_us[2], bind_cpu_us[2];  // per dependency bind: 0->100, 100->500
  std::optional<double> deps100_extra_us;                 // median at 100 deps minus at 0
  std::optional<ElfInfo> elf;
  std::string elf_path;
  std::optional<long> rss_kib;
};

const char* mode_name(Net n) { return n == Net::None ? "network none" : "network host"; }
const char* floor_name(Net n) { return n == Net::None ? "unshare -Urmpfn --mount-proc" : "unshare -Urmpif"; }

constexpr int kRssRuns = 10;

bool executable(const std::string& p) { return !p.empty() && access(p.c_str(), X_OK) == 0; }

void usage() {
  std::fprintf(stderr,
               "usage: stockade-launch-bench [--launcher PATH] [--policy NAME] [--bwrap PATH] [--unshare PATH]\n"
               "         [--noop PATH] [--rss-helper PATH] [--shipped-launcher PATH] [--runs N] [--warmup N] [--jobs "
               "N] [--no-bwrap-seccomp]\n");
}

bool parse_options(int argc, char** argv, Options& o) {
  o.tools.bwrap = "/usr/bin/bwrap";
  o.tools.unshare = "/usr/bin/unshare";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--no-bwrap-seccomp") {
      o.bwrap_seccomp = false;
      continue;
    }
    if ((v = value()) == nullptr) {
      usage();
      return false;
    }
    if (a == "--launcher") o.tools.launcher = v;
    else if (a == "--bwrap") o.tools.bwrap = v;
    else if (a == "--unshare") o.tools.unshare = v;
    else if (a == "--noop") o.noop = v;
    else if (a == "--policy") o.tools.policy = v;
    else if (a == "--rss-helper") o.rss_helper = v;
    else if (a == "--shipped-launcher") o.shipped = v;
    else if (a == "--runs") o.runs = std::atoi(v);
    else if (a == "--warmup") o.warmup = std::atoi(v);
    else if (a == "--jobs") o.jobs = std::atoi(v);
    else {
      usage();
      return false;
    }
  }
  if (o.runs < 1 || o.jobs < 1 || o.warmup < 0) {
    usage();
    return false;
  }
  return true;
}

void print_machine(const Options& o) {
  utsname u{};
  uname(&u);
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  const std::time_t now = std::time(nullptr);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  std::printf("stockade launch benchmark, %s\n", when);
  std::printf("  kernel %s %s, %u CPUs, load average %.2f %.2f %.2f\n", u.release, u.machine,
              std::thread::hardware_concurrency(), load[0], load[1], load[2]);
  std::printf("  %d timed runs per variant after %d warm-up rounds, interleaved\n", o.runs, o.warmup);
  if (o.runs < 200) std::printf("  note: fewer than 200 runs; p99 is rough\n");
}

void skip(const char* what, const std::string& why) { std::printf("  skipped: %s: %s\n", what, why.c_str()); }

// The rows every section compares: the two floors, bubblewrap and stockade
// in both network modes. Each knows its mode and what it is.
enum class Kind { Plain, Floor, Bwrap, Stockade };
struct BenchRow {
  std::unique_ptr<Variant> v;
  Kind kind;
  Net net;
};

std::vector<BenchRow> make_rows(const Options& o, const Fixture& fx, int filter_fd, bool with_plain) {
  std::vector<BenchRow> rows;
  if (with_plain) rows.push_back({std::make_unique<Variant>("/bin/true", plain_argv(o.tools)), Kind::Plain, Net::Host});
  for (Net net : {Net::None, Net::Host}) {
    if (executable(o.tools.unshare))
      rows.push_back({std::make_unique<Variant>(floor_name(net), unshare_argv(o.tools, net)), Kind::Floor, net});
    if (executable(o.tools.bwrap)) {
      std::string name = std::string("bwrap, ") + mode_name(net) + (filter_fd >= 0 ? ", seccomp" : "");
      rows.push_back({std::make_unique<Variant>(name, bwrap_argv(o.tools, fx, 0, Job::True, filter_fd >= 0, net)),
                      Kind::Bwrap, net});
      if (filter_fd >= 0) rows.back().v->command().reopen_fd(filter_fd, kBwrapSeccompFd);
    }
    if (executable(o.tools.launcher)) {
      std::vector<std::string> argv = stockade_argv(o.tools, fx, net, Job::True);
      rows.push_back({std::make_unique<Variant>("stockade run " + argv[2] + " (" + mode_name(net) + ")", argv),
                      Kind::Stockade, net});
    }
  }
  return rows;
}

void report_missing(const Options& o) {
  if (!executable(o.tools.unshare)) skip("unshare", o.tools.unshare + " not found");
  if (!executable(o.tools.bwrap)) skip("bubblewrap", o.tools.bwrap + " not found");
  if (!executable(o.tools.launcher)) skip("stockade", "no launcher given (--launcher)");
}

// Latency: every row interleaved, `runs` rounds.
void latency_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res, bool& broken) {
  std::printf("\n== launch latency: /bin/true, wall time fork..reap ==\n");
  report_missing(o);
  std::vector<BenchRow> rows = make_rows(o, fx, filter_fd, true);
  std::vector<Variant*> vs;
  for (BenchRow& r : rows) vs.push_back(r.v.get());
  run_rounds(vs, o.warmup, o.runs, null_fd);
  double bwrap_us[2] = {0, 0};
  for (BenchRow& r : rows)
    if (r.kind == Kind::Bwrap && !r.v->failed()) bwrap_us[static_cast<int>(r.net)] = r.v->summary().median_us;
  print_table_header("variant");
  for (BenchRow& r : rows) {
    if (r.v->failed()) {
      std::printf("  %-42s FAILED (see stderr)\n", r.v->name().c_str());
      broken = true;
      continue;
    }
    print_row(r.v->name(), r.v->summary(), r.v->cpu_summary(),
              r.kind == Kind::Plain ? 0 : bwrap_us[static_cast<int>(r.net)]);
    ModeResults& m = res.mode[static_cast<int>(r.net)];
    if (r.kind == Kind::Stockade) m.stockade = r.v->summary();
    if (r.kind == Kind::Floor) m.floor = r.v->summary();
    if (r.kind == Kind::Bwrap) m.bwrap = r.v->summary();
  }
  std::printf(
      "  (vs bwrap: against bubblewrap in the same network mode; cpu med: the launch tree's own, from wait4)\n");
}

// Busy CPU time of the whole machine so far, in µs (/proc/stat: user, nice,
// system, irq, softirq; idle, iowait and steal left out). Unlike wait4's
// figure it also counts what a launch leaves to kernel threads, e.g. a
// network namespace's cleanup.
std::optional<double> busy_cpu_us() {
  FILE* f = std::fopen("/proc/stat", "r");
  if (f == nullptr) return std::nullopt;
  unsigned long long user = 0, nice = 0, sys = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
  const int n =
      std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle, &iowait, &irq, &softirq);
  std::fclose(f);
  if (n != 7) return std::nullopt;
  return static_cast<double>(user + nice + sys + irq + softirq) * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void sleep_ms(long ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&ts, nullptr);
}

// CPU per launch, system-wide: batches of launches of one row in a row (so
// deferred work lands in its own batch, not its neighbour's), the rows'
// batches interleaved; the median over batches. Every other process on the
// machine is counted too: on a shared machine these figures are high.
void cpu_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res) {
  constexpr int kBatch = 100;
  constexpr int kBatches = 5;
  std::printf("\n== CPU per launch, system-wide (/proc/stat), %d batches of %d ==\n", kBatches, kBatch);
  if (!busy_cpu_us()) {
    skip("system-wide CPU", "/proc/stat unreadable");
    return;
  }
  std::vector<BenchRow> rows = make_rows(o, fx, filter_fd, true);
  std::vector<std::vector<double>> per(rows.size());
  for (int b = 0; b < kBatches; ++b) {
    for (size_t k = 0; k < rows.size(); ++k) {
      const size_t i = (static_cast<size_t>(b) + k) % rows.size();
      sleep_ms(20);  // the previous batch's deferred work, out of this one
      const double before = *busy_cpu_us();
      for (int n = 0; n < kBatch; ++n) rows[i].v->run(null_fd, true);
      sleep_ms(20);  // this batch's, into it
      const double after = *busy_cpu_us();
      per[i].push_back((after - before) / kBatch);
    }
  }
  std::printf("  %-42s %12s %12s\n", "variant", "CPU/launch", "of the floor");
  double floor_us[2] = {0, 0};
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].v->failed()) continue;
    std::sort(per[i].begin(), per[i].end());
    const double med = per[i][per[i].size() / 2];
    ModeResults& m = res.mode[static_cast<int>(rows[i].net)];
    if (rows[i].kind == Kind::Floor) {
      m.floor_cpu_us = med;
      floor_us[static_cast<int>(rows[i].net)] = med;
    }
    if (rows[i].kind == Kind::Stockade) m.stockade_cpu_us = med;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].v->failed()) {
      std::printf("  %-42s FAILED (see stderr)\n", rows[i].v->name().c_str());
      continue;
    }
    const double med = per[i][per[i].size() / 2];
    const double fl = floor_us[static_cast<int>(rows[i].net)];
    std::printf("  %-42s %9.0f us %11s\n", rows[i].v->name().c_str(), med,
                rows[i].kind != Kind::Plain && fl > 0 ? format("%.2fx", med / fl).c_str() : "");
  }
}

// Cost per extra read-only bind. stockade: the python3 policy's
// per-dependency binds (`bind each ${DEPS}`, a --param-file list) at 0, 100
// and 500; the slope of each segment, so "linear" is seen. bubblewrap: 0,
// 20 and 80 --ro-bind options, least squares.
void bind_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res, bool& broken) {
  std::printf("\n== cost per extra read-only bind ==\n");
  std::vector<std::unique_ptr<Variant>> bwrap, stockade;
  if (executable(o.tools.bwrap)) {
    for (int n : kBwrapBindCounts) {
      bwrap.push_back(std::make_unique<Variant>("bwrap +" + std::to_string(n) + " binds",
                                                bwrap_argv(o.tools, fx, n, Job::True, filter_fd >= 0)));
      if (filter_fd >= 0) bwrap.back()->command().reopen_fd(filter_fd, kBwrapSeccompFd);
    }
  }
  if (executable(o.tools.launcher)) {
    for (int n : kDepCounts)
      stockade.push_back(std::make_unique<Variant>("stockade python3 +" + std::to_string(n) + " deps",
                                                   stockade_argv(o.tools, fx, Net::Host, Job::True, n)));
  } else {
    skip("stockade bind cost", "no launcher given (--launcher)");
  }
  std::vector<Variant*> vs;
  for (auto& v : bwrap) vs.push_back(v.get());
  for (auto& v : stockade) vs.push_back(v.get());
  const int runs = std::min(o.runs, 300);
  run_rounds(vs, o.warmup / 2, runs, null_fd);
  print_table_header("variant");
  for (Variant* v : vs) {
    if (v->failed()) {
      std::printf("  %-42s FAILED (see stderr)\n", v->name().c_str());
      broken = true;
    } else {
      print_row(v->name(), v->summary(), v->cpu_summary(), 0);
    }
  }
  if (bwrap.size() == 3 && !bwrap[0]->failed() && !bwrap[1]->failed() && !bwrap[2]->failed()) {
    std::vector<double> x, y;
    for (size_t i = 0; i < bwrap.size(); ++i) {
      x.push_back(kBwrapBindCounts[i]);
      y.push_back(bwrap[i]->summary().median_us);
    }
    std::printf("  bwrap     wall: %7.2f us per bind (least squares)\n", fit_line(x, y).slope);
  }
  if (stockade.size() == 3 && !stockade[0]->failed() && !stockade[1]->failed() && !stockade[2]->failed()) {
    for (int seg = 0; seg < 2; ++seg) {
      const double dn = kDepCounts[seg + 1] - kDepCounts[seg];
      res.bind_wall_us[seg] = (stockade[seg + 1]->summary().median_us - stockade[seg]->summary().median_us) / dn;
      res.bind_cpu_us[seg] = (stockade[seg + 1]->cpu_summary().median_us - stockade[seg]->cpu_summary().median_us) / dn;
      std::printf("  stockade  %d -> %d deps: wall %7.2f us per bind, cpu %7.2f us per bind\n", kDepCounts[seg],
                  kDepCounts[seg + 1], *res.bind_wall_us[seg], *res.bind_cpu_us[seg]);
    }
    res.deps100_extra_us = stockade[1]->summary().median_us - stockade[0]->summary().median_us;
  }
}

void throughput_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res, bool& broken) {
  std::printf("\n== throughput: %d launches of /bin/true ==\n", o.jobs);
  std::vector<BenchRow> rows = make_rows(o, fx, filter_fd, true);
  std::printf("  %-42s %12s %12s\n", "variant", "2 in flight", "8 in flight");
  for (BenchRow& r : rows) {
    double rate[2] = {0, 0};
    const int widths[2] = {2, 8};
    for (int k = 0; k < 2; ++k) {
      const Throughput t = r.v->run_parallel_jobs(null_fd, o.jobs, widths[k]);
      if (t.failed == 0 && t.elapsed_ns > 0) rate[k] = t.launched / (static_cast<double>(t.elapsed_ns) / 1e9);
    }
    if (r.v->failed()) {
      std::printf("  %-42s FAILED (see stderr)\n", r.v->name().c_str());
      broken = true;
      continue;
    }
    std::printf("  %-42s %8.0f/s   %8.0f/s\n", r.v->name().c_str(), rate[0], rate[1]);
    ModeResults& m = res.mode[static_cast<int>(r.net)];
    if (r.kind == Kind::Stockade) m.stockade_jobs_s = rate[1];
    if (r.kind == Kind::Floor) m.floor_jobs_s = rate[1];
  }
}

void size_and_memory_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res) {
  std::printf("\n== launcher binary and peak memory ==\n");
  // stockade-bench carries the bench policies' tables besides python3's; the
  // size target is judged on the shipped launcher when it is given.
  for (const std::string& path : {o.tools.launcher, o.shipped}) {
    if (!executable(path)) continue;
    const ElfInfo e = read_elf_info(path);
    if (!e.ok) {
      std::printf("  %s\n", e.error.c_str());
      continue;
    }
    std::printf("  %s: %llu bytes (%.1f KiB), %s, loadable segments %.1f KiB\n", path.c_str(),
                static_cast<unsigned long long>(e.file_bytes), e.file_bytes / 1024.0,
                e.is_static ? "static" : "DYNAMIC (has an interpreter)", e.load_memsz / 1024.0);
    res.elf = e;
    res.elf_path = path;
  }
  if (!res.elf) skip("binary size", "no launcher given (--launcher, --shipped-launcher)");
  if (!executable(o.rss_helper)) {
    skip("peak RSS", "no launch-rss helper (--rss-helper)");
    return;
  }
  if (!fx.has_noop()) {
    skip("peak RSS", "no static no-op job (--noop); /bin/true alone would dominate the figure");
    return;
  }
  // ru_maxrss over the launch tree (wait4 covers every reaped descendant).
  // With the static no-op as the job, the figure is the sandbox's own.
  struct Row {
    std::string name;
    std::vector<std::string> argv;
    bool bwrap_seccomp;
    bool is_stockade;
  };
  std::vector<Row> rows;
  rows.push_back({"no-op job alone", {fx.job_dir() + "/main.py"}, false, false});
  rows.push_back({"/bin/true alone", plain_argv(o.tools), false, false});
  if (executable(o.tools.bwrap)) {
    rows.push_back({"bwrap -- no-op", bwrap_argv(o.tools, fx, 0, Job::Noop, filter_fd >= 0), filter_fd >= 0, false});
  }
  if (executable(o.tools.launcher)) {
    rows.push_back({"stockade -- /bin/true", stockade_argv(o.tools, fx, Net::None, Job::True), false, false});
    rows.push_back({"stockade -- no-op", stockade_argv(o.tools, fx, Net::None, Job::Noop), false, true});
  }
  // Since Linux 6.2 the RSS counters are per-CPU and ru_maxrss reads them
  // without folding in each CPU's pending delta (below the counter batch,
  // max(32, 2 x CPUs) pages, for each of file, anon and shmem pages), so
  // small figures read low.
  const long cpus = static_cast<long>(std::thread::hardware_concurrency());
  const long batch = std::max(32L, 2 * cpus);
  const long slack_kib = 3 * cpus * (batch - 1) * (sysconf(_SC_PAGESIZE) / 1024);
  std::printf("  (ru_maxrss may read up to ~%ld KiB low on this machine: per-CPU RSS counters)\n", slack_kib);
  for (const Row& row : rows) {
    const PeakRss p = row.bwrap_seccomp
                          ? measure_peak_rss(o.rss_helper, row.argv, kRssRuns, null_fd, filter_fd, kBwrapSeccompFd)
                          : measure_peak_rss(o.rss_helper, row.argv, kRssRuns, null_fd);
    if (!p.ok) {
      std::printf("  %-42s FAILED: %s\n", row.name.c_str(), p.error.c_str());
      continue;
    }
    std::printf("  %-42s peak RSS %6ld KiB (%.2f MiB), max of %d runs\n", row.name.c_str(), p.max_kib,
                p.max_kib / 1024.0, kRssRuns);
    if (row.is_stockade) res.rss_kib = p.max_kib;
  }
}

// A ratio target: `value` <= (or, for higher-is-better, >=) `limit` x `base`.
void ratio_target(const std::string& what, const std::optional<double>& value, const std::optional<double>& base,
                  double limit, bool higher_is_better, const std::string& why_missing) {
  if (!value || !base || *base <= 0) {
    print_target(what.c_str(), std::nullopt, false, why_missing);
    return;
  }
  const double ratio = *value / *base;
  print_target(what.c_str(), format("%.2fx", ratio), higher_is_better ? ratio >= limit : ratio <= limit);
}

void targets_section(const Results& r) {
  std::printf("\n== targets (issue 15; informational) ==\n");
  const std::string no_floor = "no launcher or no unshare measured";
  for (Net net : {Net::None, Net::Host}) {
    const ModeResults& m = r.mode[static_cast<int>(net)];
    const std::string mode = mode_name(net);
    const std::string vs = std::string(" vs ") + floor_name(net);
    ratio_target(mode + ": CPU/launch <= 1.0x" + vs, m.stockade_cpu_us, m.floor_cpu_us, 1.0, false, no_floor);
    ratio_target(mode + ": jobs/s at 8 >= 1.0x" + vs, m.stockade_jobs_s, m.floor_jobs_s, 1.0, true, no_floor);
    ratio_target(mode + ": median <= 1.0x" + vs,
                 m.stockade ? std::optional<double>(m.stockade->median_us) : std::nullopt,
                 m.floor ? std::optional<double>(m.floor->median_us) : std::nullopt, 1.0, false, no_floor);
    ratio_target(mode + ": median <= 0.35x bubblewrap's",
                 m.stockade ? std::optional<double>(m.stockade->median_us) : std::nullopt,
                 m.bwrap ? std::optional<double>(m.bwrap->median_us) : std::nullopt, 0.35, false,
                 "no launcher or no bubblewrap measured");
    if (m.stockade) {
      const Summary& s = *m.stockade;
      print_target((mode + ": no launch over 3x the median").c_str(),
                   format("max %.2fx median", s.max_us / s.median_us) + ", " + std::to_string(s.over_3x_median) +
                       " of " + std::to_string(s.count) + " over",
                   s.over_3x_median == 0 && s.count >= 1000);
    } else {
      print_target((mode + ": no launch over 3x the median").c_str(), std::nullopt, false, "no launcher measured");
    }
  }
  if (r.bind_wall_us[0] && r.bind_wall_us[1]) {
    const double worst_wall = std::max(*r.bind_wall_us[0], *r.bind_wall_us[1]);
    const double worst_cpu = std::max(*r.bind_cpu_us[0], *r.bind_cpu_us[1]);
    print_target("extra ro bind <= 5 us wall, 0->100 and 100->500", format("%.2f us (worst segment)", worst_wall),
                 worst_wall <= 5);
    print_target("extra ro bind <= 5 us CPU, 0->100 and 100->500", format("%.2f us (worst segment)", worst_cpu),
                 worst_cpu <= 5);
    print_target("python3 with 100 deps <= +0.5 ms of none", format("%+.3f ms", *r.deps100_extra_us / 1e3),
                 *r.deps100_extra_us <= 500);
  } else {
    for (const char* t : {"extra ro bind <= 5 us wall, 0->100 and 100->500",
                          "extra ro bind <= 5 us CPU, 0->100 and 100->500", "python3 with 100 deps <= +0.5 ms of none"})
      print_target(t, std::nullopt, false, "no launcher measured");
  }
  if (r.elf) {
    const bool pass = r.elf->is_static && r.elf->file_bytes <= 128 * 1024;
    print_target("static binary <= 128 KiB",
                 format("%.1f KiB", r.elf->file_bytes / 1024.0) + (r.elf->is_static ? ", static, " : ", dynamic, ") +
                     r.elf_path.substr(r.elf_path.rfind('/') + 1),
                 pass);
  } else {
    print_target("static binary <= 128 KiB", std::nullopt, false, "no launcher measured");
  }
  if (r.rss_kib) {
    print_target("peak RSS <= 1.5 MiB", format("%.2f MiB", *r.rss_kib / 1024.0), *r.rss_kib <= 1536);
  } else {
    print_target("peak RSS <= 1.5 MiB", std::nullopt, false, "no launcher measured with a no-op job");
  }
}

int run(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, o)) return 2;
  if (!o.tools.launcher.empty() && !executable(o.tools.launcher)) {
    std::fprintf(stderr, "launch-bench: %s is not executable\n", o.tools.launcher.c_str());
    return 2;
  }
  Fixture fx(80, kDepCounts[2], o.noop);
  if (!fx.ok()) {
    std::fprintf(stderr, "launch-bench: fixture: %s\n", fx.error().c_str());
    return 2;
  }
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) {
    std::perror("launch-bench: /dev/null");
    return 2;
  }
  int filter_len = 0;
  const int filter_fd = o.bwrap_seccomp ? make_bwrap_filter_fd(filter_len) : -1;
  print_machine(o);
  if (filter_fd >= 0) std::printf("  bwrap loads a %d-instruction seccomp denylist (--seccomp)\n", filter_len);

  Results res;
  bool broken = false;
  latency_section(o, fx, filter_fd, null_fd, res, broken);
  cpu_section(o, fx, filter_fd, null_fd, res);
  bind_section(o, fx, filter_fd, null_fd, res, broken);
  throughput_section(o, fx, filter_fd, null_fd, res, broken);
  size_and_memory_section(o, fx, filter_fd, null_fd, res);
  targets_section(res);
  if (filter_fd >= 0) close(filter_fd);
  close(null_fd);
  return broken ? 1 : 0;
}

}  // namespace
}  // namespace stockade::bench

int main(int argc, char** argv) { return stockade::bench::run(argc, argv); }
