#include "kernel_settings.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include "kernel_output.hpp"
#include "link/arp_config.hpp"

namespace netstep::interop {

namespace {

int whole_number(std::string_view text, std::string_view what) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{}) throw std::runtime_error("cannot read " + std::string{what} + " from \"" + std::string{text} + "\"");
  (void)end;
  return value;
}

// "mcast_solicit=3 retrans_time_ms=1000" -> the number after "key=".
int value_after(std::string_view text, std::string_view key) {
  const std::size_t at = text.find(key);
  if (at == std::string_view::npos) throw std::runtime_error("no " + std::string{key} + " in \"" + std::string{text} + "\"");
  return whole_number(text.substr(at + key.size()), key);
}

}  // namespace

KernelSettings read_kernel_settings(const KernelResults& results) {
  KernelSettings settings;
  settings.tcp_syn_retries = whole_number(results.setting("cm-cli net.ipv4.tcp_syn_retries"), "tcp_syn_retries");
  settings.tcp_syn_linear_timeouts =
      whole_number(results.setting("cm-cli net.ipv4.tcp_syn_linear_timeouts"), "tcp_syn_linear_timeouts");

  // netstep's topology resolves with its ArpConfig defaults (Linux's); the
  // kernel's must be the same, or the ARP-failure timings mean nothing.
  const std::string& neighbour = results.setting("cm-cli neigh cli0");
  const ArpConfig netstep_arp;
  const int solicit = value_after(neighbour, "mcast_solicit=");
  const int retrans_ms = value_after(neighbour, "retrans_time_ms=");
  if (solicit != netstep_arp.request_attempts ||
      std::chrono::milliseconds{retrans_ms} != netstep_arp.retransmit_interval) {
    throw std::runtime_error("the kernel's client resolved ARP with mcast_solicit=" + std::to_string(solicit) +
                             " retrans_time_ms=" + std::to_string(retrans_ms) +
                             "; netstep's topology uses Linux's defaults, 3 and 1000");
  }

  // cm_ephemeral's "NOTE ip_local_port_range=40000..40003 (4 ports); ..."
  for (const std::string& note : results.notes) {
    constexpr std::string_view key = "ip_local_port_range=";
    if (note.rfind(key, 0) != 0) continue;
    const std::string_view range = std::string_view{note}.substr(key.size());
    const std::size_t dots = range.find("..");
    if (dots == std::string_view::npos) throw std::runtime_error("cannot read the port range in \"" + note + "\"");
    EphemeralRange ports;
    ports.first = static_cast<std::uint16_t>(whole_number(range.substr(0, dots), "the range's first port"));
    ports.last = static_cast<std::uint16_t>(whole_number(range.substr(dots + 2), "the range's last port"));
    settings.ephemeral_range = ports;
  }
  return settings;
}

}  // namespace netstep::interop
