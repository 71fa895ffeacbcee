#pragma once
// A frame breakpoint written in tcpdump's filter language: libpcap compiles
// the expression (pcap_compile, for Ethernet frames) and tests each frame a
// host sends with pcap_offline_filter, the same code tcpdump runs. It lives
// here, beside the pcap driver, because core must not depend on libpcap.
#include <memory>
#include <stdexcept>
#include <string>

#include "debug/breakpoint.hpp"

namespace netstep::live {

// An expression libpcap refuses ("syntax error", "unknown host 'x'"):
// the message is libpcap's, after the expression.
class BpfSyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Compiles `expression` ("tcp[tcpflags] & tcp-rst != 0", "arp",
// "host 10.0.0.2 and port 80"). Throws BpfSyntaxError.
[[nodiscard]] std::shared_ptr<const debug::FramePredicate> compile_bpf(const std::string& expression);

}  // namespace netstep::live
