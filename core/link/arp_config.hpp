#pragma once
// ARP timing and limits. Defaults are Linux's (net.ipv4.neigh.default.*),
// the ones measured on a real kernel in the project's shared reference
// (connect-matrix.md, situation T08): three broadcast requests one second
// apart, then the host is unreachable.
#include <cstddef>
#include <stdexcept>

#include "base/time.hpp"

namespace netstep {

struct ArpConfig {
  int request_attempts = 3;                // mcast_solicit: broadcast requests before FAILED
  int unicast_probes = 3;                  // ucast_solicit: probes of a STALE entry before FAILED
  Duration retransmit_interval = 1s;       // retrans_time_ms
  Duration reachable_time = 30s;           // base_reachable_time (Linux randomises 0.5x-1.5x; we do not)
  Duration delay_first_probe = 5s;         // delay_first_probe_time
  Duration stale_lifetime = 60s;           // gc_stale_time: unused STALE/FAILED entries are removed
  std::size_t queue_limit = 101;           // unres_qlen: packets held per unresolved neighbour
  bool announce_on_configure = false;      // send a gratuitous ARP when an address is set (arp_notify)

  // Throws std::invalid_argument naming the first impossible value.
  void validate() const {
    if (request_attempts < 1) throw std::invalid_argument("arp: request_attempts must be at least 1");
    if (unicast_probes < 0) throw std::invalid_argument("arp: unicast_probes must not be negative");
    if (retransmit_interval <= Duration::zero()) throw std::invalid_argument("arp: retransmit_interval must be positive");
    if (reachable_time <= Duration::zero()) throw std::invalid_argument("arp: reachable_time must be positive");
    if (delay_first_probe < Duration::zero()) throw std::invalid_argument("arp: delay_first_probe must not be negative");
    if (stale_lifetime <= Duration::zero()) throw std::invalid_argument("arp: stale_lifetime must be positive");
    if (queue_limit < 1) throw std::invalid_argument("arp: queue_limit must be at least 1");
  }
};

}  // namespace netstep
