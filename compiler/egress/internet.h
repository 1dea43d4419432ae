// SPDX-License-Identifier: Apache-2.0
// `internet`: every address but the worker's own networks. The one list of
// what it leaves out; the code generator, `explain` and the docs' table
// (docs/language.md, "network filtered") follow it.
#pragma once

#include <array>
#include <string_view>

namespace stockade::egress {

struct Excluded {
  std::string_view cidr;
  std::string_view what;
};

inline constexpr std::array kNotInternet = {
    Excluded{"0.0.0.0/8", "this network, unspecified"},
    Excluded{"10.0.0.0/8", "private"},
    Excluded{"100.64.0.0/10", "shared address space, carrier-grade NAT"},
    Excluded{"127.0.0.0/8", "loopback"},
    Excluded{"169.254.0.0/16", "link-local, cloud metadata at 169.254.169.254"},
    Excluded{"172.16.0.0/12", "private"},
    Excluded{"192.168.0.0/16", "private"},
    Excluded{"224.0.0.0/4", "multicast"},
    Excluded{"240.0.0.0/4", "reserved, broadcast"},
    Excluded{"::/128", "unspecified"},
    Excluded{"::1/128", "loopback"},
    Excluded{"fc00::/7", "unique local, private"},
    Excluded{"fe80::/10", "link-local"},
    Excluded{"fec0::/10", "site-local, deprecated"},
    Excluded{"ff00::/8", "multicast"},
};

}  // namespace stockade::egress
