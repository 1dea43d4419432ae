// stockade-launch-bench: how long `stockade run` takes to start and finish a
// do-nothing job, beside plain /bin/true, unshare and bubblewrap with the
// same isolation, all timed in this process. Prints figures and the launch
// targets (issue 3) as PASS/MISS lines; the targets never change the exit
// status. Exit 1 only when something could not be launched at all.
//
//   stockade-launch-bench --launcher BUILD/stockade-bench
//       [--noop BUILD/tests/bench/launch-noop] [--rss-helper BUILD/tests/bench/launch-rss]
//       [--bwrap /usr/bin/bwrap] [--unshare /usr/bin/unshare] [--runs 300] [--jobs 400]
//       [--policy NAME]   (another launcher's policy for the 0-bind rows, e.g. python3)
//       [--shipped-launcher BUILD/stockade]   (size of the launcher that ships)
//
// tests/bench/launch.sh builds everything and runs it.

#include <fcntl.h>
#include <sys/utsname.h>
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
  std::string shipped;   // the shipped launcher, for its size: the target is about what ships
  int runs = 300;
  int warmup = 20;
  int jobs = 400;
  bool bwrap_seccomp = true;
};

// The figures the target lines are judged on.
struct Results {
  std::optional<Summary> stockade;
  std::optional<Summary> bwrap;
  std::optional<double> jobs_per_s_8;
  std::optional<double> netns_jobs_per_s_8;  // unshare -n /bin/true: the kernel's floor
  std::optional<double> us_per_bind;      // the larger of the wall and CPU slopes
  bool us_per_bind_from_cpu = false;
  std::optional<ElfInfo> elf;
  std::string elf_path;
  std::optional<long> rss_kib;
};

constexpr int kRssRuns = 10;

bool executable(const std::string& p) { return !p.empty() && access(p.c_str(), X_OK) == 0; }

void usage() {
  std::fprintf(stderr,
               "usage: stockade-launch-bench [--launcher PATH] [--policy NAME] [--bwrap PATH] [--unshare PATH]\n"
               "         [--noop PATH] [--rss-helper PATH] [--shipped-launcher PATH] [--runs N] [--warmup N] [--jobs N] [--no-bwrap-seccomp]\n");
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

// Latency of the bench policy against the baselines.
void latency_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res,
                     bool& broken) {
  std::printf("\n== launch latency: /bin/true, wall time fork..reap ==\n");
  std::vector<std::unique_ptr<Variant>> owned;
  owned.push_back(std::make_unique<Variant>("/bin/true", plain_argv(o.tools)));
  Variant* bwrap = nullptr;
  Variant* stockade = nullptr;
  if (executable(o.tools.unshare)) {
    owned.push_back(std::make_unique<Variant>("unshare -n (net namespace only)", unshare_net_argv(o.tools)));
    owned.push_back(std::make_unique<Variant>("unshare -Urmpfn --mount-proc", unshare_argv(o.tools)));
  } else {
    skip("unshare", o.tools.unshare + " not found");
  }
  if (executable(o.tools.bwrap)) {
    owned.push_back(std::make_unique<Variant>(filter_fd >= 0 ? "bwrap (same mounts, seccomp)" : "bwrap (same mounts)",
                                              bwrap_argv(o.tools, fx, 0, Job::True, filter_fd >= 0)));
    bwrap = owned.back().get();
    if (filter_fd >= 0) bwrap->command().reopen_fd(filter_fd, kBwrapSeccompFd);
  } else {
    skip("bubblewrap", o.tools.bwrap + " not found");
  }
  if (executable(o.tools.launcher)) {
    owned.push_back(std::make_unique<Variant>("stockade run " + (o.tools.policy.empty() ? std::string("launch_bench") : o.tools.policy), stockade_argv(o.tools, fx, 0, Job::True)));
    stockade = owned.back().get();
  } else {
    skip("stockade", "no launcher given (--launcher)");
  }
  // The shipped python3 policy differs from launch_bench only by `network
  // host`: the gap between the two rows is what a network namespace costs.
  if (stockade && o.tools.policy.empty()) {
    Tools shipped = o.tools;
    shipped.policy = "python3";
    owned.push_back(std::make_unique<Variant>("stockade run python3 (net host)", stockade_argv(shipped, fx, 0, Job::True)));
  }
  std::vector<Variant*> vs;
  for (auto& v : owned) vs.push_back(v.get());
  run_rounds(vs, o.warmup, o.runs, null_fd);

  const double base = bwrap && !bwrap->failed() ? bwrap->summary().median_us : 0;
  print_table_header("variant");
  for (Variant* v : vs) {
    if (v->failed()) {
      std::printf("  %-34s FAILED (see stderr)\n", v->name().c_str());
      broken = true;
      continue;
    }
    print_row(v->name(), v->summary(), v->cpu_summary(), base);
  }
  if (bwrap && !bwrap->failed()) res.bwrap = bwrap->summary();
  if (stockade && !stockade->failed()) res.stockade = stockade->summary();
}

// Cost per extra bind: medians at 0, 20 and 80 extra read-only binds,
// slope by least squares over the three points.
void bind_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res,
                  bool& broken) {
  std::printf("\n== cost per extra read-only bind (0, 20, 80 extra binds) ==\n");
  struct Series {
    const char* name;
    std::vector<std::unique_ptr<Variant>> points;
  };
  std::vector<Series> series;
  if (executable(o.tools.bwrap)) {
    Series s{"bwrap", {}};
    for (int n : kBindCounts) {
      s.points.push_back(std::make_unique<Variant>("bwrap +" + std::to_string(n) + " binds",
                                                   bwrap_argv(o.tools, fx, n, Job::True, filter_fd >= 0)));
      if (filter_fd >= 0) s.points.back()->command().reopen_fd(filter_fd, kBwrapSeccompFd);
    }
    series.push_back(std::move(s));
  }
  if (!o.tools.policy.empty()) {
    skip("stockade bind cost", "--policy given; the bind policies exist in stockade-bench only");
  } else if (executable(o.tools.launcher)) {
    Series s{"stockade", {}};
    for (int n : kBindCounts) {
      s.points.push_back(std::make_unique<Variant>(std::string("stockade run ") + policy_for_binds(n),
                                                   stockade_argv(o.tools, fx, n, Job::True)));
    }
    series.push_back(std::move(s));
  } else {
    skip("stockade bind cost", "no launcher given (--launcher)");
  }
  std::vector<Variant*> vs;
  for (auto& s : series)
    for (auto& p : s.points) vs.push_back(p.get());
  run_rounds(vs, o.warmup / 2, o.runs, null_fd);

  print_table_header("variant");
  for (Variant* v : vs) {
    if (v->failed()) {
      std::printf("  %-34s FAILED (see stderr)\n", v->name().c_str());
      broken = true;
    } else {
      print_row(v->name(), v->summary(), v->cpu_summary(), 0);
    }
  }
  for (auto& s : series) {
    std::vector<double> x, y, cpu;
    for (size_t i = 0; i < s.points.size(); ++i) {
      if (s.points[i]->failed()) continue;
      x.push_back(kBindCounts[i]);
      y.push_back(s.points[i]->summary().median_us);
      cpu.push_back(s.points[i]->cpu_summary().median_us);
    }
    if (x.size() < 2) continue;
    const Line l = fit_line(x, y);
    const double diff = (y.back() - y.front()) / (x.back() - x.front());
    std::printf("  %-9s wall: %7.2f us per bind (least squares), %7.2f (80 minus 0); cpu: %7.2f us per bind\n",
                s.name, l.slope, diff, fit_line(x, cpu).slope);
    // The binds are set up by one process in sequence, so their wall cost is
    // at least their CPU cost; when noise from other load pushes the wall
    // slope below the CPU slope, the CPU slope is the better estimate.
    const double cpu_slope = fit_line(x, cpu).slope;
    if (std::string(s.name) == "stockade" && x.size() == 3) {
      res.us_per_bind = std::max(l.slope, cpu_slope);
      res.us_per_bind_from_cpu = cpu_slope > l.slope;
    }
  }
}

void throughput_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd, Results& res,
                        bool& broken) {
  std::printf("\n== throughput: %d launches of /bin/true ==\n", o.jobs);
  std::vector<std::unique_ptr<Variant>> vs;
  vs.push_back(std::make_unique<Variant>("/bin/true", plain_argv(o.tools)));
  // The kernel's own price for a network namespace: no launcher with
  // `network none` can be faster than this row.
  if (executable(o.tools.unshare))
    vs.push_back(std::make_unique<Variant>("unshare -n (net namespace only)", unshare_net_argv(o.tools)));
  if (executable(o.tools.bwrap)) {
    vs.push_back(std::make_unique<Variant>("bwrap", bwrap_argv(o.tools, fx, 0, Job::True, filter_fd >= 0)));
    if (filter_fd >= 0) vs.back()->command().reopen_fd(filter_fd, kBwrapSeccompFd);
  }
  Variant* netns = nullptr;
  for (auto& v : vs)
    if (v->name().rfind("unshare -n", 0) == 0) netns = v.get();
  Variant* stockade = nullptr;
  if (executable(o.tools.launcher)) {
    vs.push_back(std::make_unique<Variant>("stockade", stockade_argv(o.tools, fx, 0, Job::True)));
    stockade = vs.back().get();
  }
  std::printf("  %-34s %12s %12s\n", "variant", "2 in flight", "8 in flight");
  for (auto& v : vs) {
    double rate[2] = {0, 0};
    const int widths[2] = {2, 8};
    for (int k = 0; k < 2; ++k) {
      const Throughput t = v->run_parallel_jobs(null_fd, o.jobs, widths[k]);
      if (t.failed == 0 && t.elapsed_ns > 0) rate[k] = t.launched / (static_cast<double>(t.elapsed_ns) / 1e9);
    }
    if (v->failed()) {
      std::printf("  %-34s FAILED (see stderr)\n", v->name().c_str());
      broken = true;
      continue;
    }
    std::printf("  %-34s %8.0f/s   %8.0f/s\n", v->name().c_str(), rate[0], rate[1]);
    if (v.get() == stockade) res.jobs_per_s_8 = rate[1];
    if (v.get() == netns) res.netns_jobs_per_s_8 = rate[1];
  }
}

void size_and_memory_section(const Options& o, const Fixture& fx, int filter_fd, int null_fd,
                             Results& res) {
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
    rows.push_back({"stockade -- /bin/true", stockade_argv(o.tools, fx, 0, Job::True), false, false});
    rows.push_back({"stockade -- no-op", stockade_argv(o.tools, fx, 0, Job::Noop), false, true});
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
      std::printf("  %-34s FAILED: %s\n", row.name.c_str(), p.error.c_str());
      continue;
    }
    std::printf("  %-34s peak RSS %6ld KiB (%.2f MiB), max of %d runs\n", row.name.c_str(), p.max_kib,
                p.max_kib / 1024.0, kRssRuns);
    if (row.is_stockade) res.rss_kib = p.max_kib;
  }
}

void targets_section(const Results& r) {
  std::printf("\n== targets (informational) ==\n");
  const std::string no_launcher = "no launcher measured";
  if (r.stockade && r.bwrap) {
    const double ratio = r.stockade->median_us / r.bwrap->median_us;
    print_target("median launch <= 0.4x bubblewrap's", format("%.2fx", ratio), ratio <= 0.4);
  } else {
    print_target("median launch <= 0.4x bubblewrap's", std::nullopt, false,
                 r.stockade ? "no bubblewrap" : no_launcher);
  }
  if (r.stockade) {
    const Summary& s = *r.stockade;
    print_target("median launch <= 2.0 ms", format("%.3f ms", s.median_us / 1e3), s.median_us <= 2000);
    print_target("no launch slower than 3x the median",
                 format("max %.2fx median", s.max_us / s.median_us) + ", " + std::to_string(s.over_3x_median) +
                     " of " + std::to_string(s.count) + " over",
                 s.over_3x_median == 0);
  } else {
    print_target("median launch <= 2.0 ms", std::nullopt, false, no_launcher);
    print_target("no launch slower than 3x the median", std::nullopt, false, no_launcher);
  }
  if (r.jobs_per_s_8) {
    print_target(">= 1000 jobs/s at 8 in parallel", format("%.0f jobs/s", *r.jobs_per_s_8), *r.jobs_per_s_8 >= 1000);
    if (r.netns_jobs_per_s_8 && *r.netns_jobs_per_s_8 > 0)
      std::printf("    (kernel floor: unshare -n /bin/true %.0f jobs/s; stockade reaches %.0f%% of it)\n",
                  *r.netns_jobs_per_s_8, 100.0 * *r.jobs_per_s_8 / *r.netns_jobs_per_s_8);
  } else {
    print_target(">= 1000 jobs/s at 8 in parallel", std::nullopt, false, no_launcher);
  }
  if (r.us_per_bind) {
    print_target("<= 10 us per extra bind",
                 format("%.2f us", *r.us_per_bind) + (r.us_per_bind_from_cpu ? " (cpu slope)" : " (wall slope)"),
                 *r.us_per_bind <= 10);
  } else {
    print_target("<= 10 us per extra bind", std::nullopt, false, no_launcher);
  }
  if (r.elf) {
    const bool pass = r.elf->is_static && r.elf->file_bytes <= 128 * 1024;
    print_target("static binary <= 128 KiB",
                 format("%.1f KiB", r.elf->file_bytes / 1024.0) + (r.elf->is_static ? ", static, " : ", dynamic, ") +
                     r.elf_path.substr(r.elf_path.rfind('/') + 1),
                 pass);
  } else {
    print_target("static binary <= 128 KiB", std::nullopt, false, no_launcher);
  }
  if (r.rss_kib) {
    print_target("peak RSS <= 1.5 MiB", format("%.2f MiB", *r.rss_kib / 1024.0), *r.rss_kib <= 1536);
  } else {
    print_target("peak RSS <= 1.5 MiB", std::nullopt, false, no_launcher + " with a no-op job");
  }
}

int run(int argc, char** argv) {
  Options o;
  if (!parse_options(argc, argv, o)) return 2;
  if (!o.tools.launcher.empty() && !executable(o.tools.launcher)) {
    std::fprintf(stderr, "launch-bench: %s is not executable\n", o.tools.launcher.c_str());
    return 2;
  }
  Fixture fx(80, o.noop);
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
