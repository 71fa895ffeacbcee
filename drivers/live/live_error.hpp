#pragma once
// What a real wire throws when the environment is wrong (no /dev/net/tun,
// no CAP_NET_ADMIN, no such interface): one line that says what to do. The
// CLI prints it and exits 2.
#include <stdexcept>
#include <string>

namespace netstep::live {

class LiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The fix every privilege error names.
inline constexpr const char* privilege_fix =
    "run it with sudo, or give the binary the capabilities once: "
    "sudo setcap cap_net_raw,cap_net_admin+ep $(which netstep)";

}  // namespace netstep::live
