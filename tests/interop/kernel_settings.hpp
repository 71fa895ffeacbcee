#pragma once
// What run-all.sh configured in the kernel's namespaces, read back from its
// output (00_env.txt, the probes' NOTE lines), so that netstep runs each
// situation with the same settings instead of numbers written here.
#include <optional>

#include "base/port.hpp"

namespace netstep::interop {

struct KernelResults;

struct KernelSettings {
  int tcp_syn_retries = 6;          // cm-cli net.ipv4.tcp_syn_retries
  int tcp_syn_linear_timeouts = 4;  // cm-cli net.ipv4.tcp_syn_linear_timeouts
  std::optional<EphemeralRange> ephemeral_range;  // cm-eph net.ipv4.ip_local_port_range (cm_ephemeral's NOTE)
};

// Throws std::runtime_error when a setting is missing, or when the kernel
// ran with one netstep's lab cannot take (ARP other than 3 requests 1 s apart).
[[nodiscard]] KernelSettings read_kernel_settings(const KernelResults& results);

}  // namespace netstep::interop
