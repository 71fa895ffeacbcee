#pragma once
// The UDP demultiplexer: which bound PCB an arriving datagram is for, and
// whether a bind() would clash. PCBs are filed by local port (Linux's
// primary UDP hash, udp_table.hash), so a datagram costs one hash probe and
// a look at the few PCBs sharing its port, never a walk over every socket.
//
// Among the PCBs on a port, each is scored as Linux's compute_score scores
// the sockets of a port's chain (net/ipv4/udp.c):
//   - its bound address must be the datagram's destination, or the wildcard
//     (+4 when it is the destination itself);
//   - once connected, the datagram's source address must be its peer's (+4),
//     and its source port the peer's port unless that is 0 (+4).
// So a PCB connected to the sender beats one bound to the destination
// address, which beats a wildcard one. Among equal scores the PCB bound
// last wins, as on Linux, whose chains take new sockets at their head.
// (Linux's second hash, by address and port, used for ports with long
// chains, looks at the exact address first; netstep keeps the one rule.)
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/open_hash_map.hpp"
#include "base/port.hpp"

namespace netstep::udp {

class UdpPcb;

// -1 when `pcb` does not take a datagram from `from` to `to`; otherwise
// higher is more specific (see above).
[[nodiscard]] int match_score(const UdpPcb& pcb, Endpoint from, Endpoint to);

class PortTable {
 public:
  explicit PortTable(std::uint64_t seed) : ports_{seed} {}

  // Files `pcb` under its local port (which must not be 0).
  void insert(UdpPcb& pcb);
  // Forgets `pcb` (filed under its current local port); no-op if it is not there.
  void erase(const UdpPcb& pcb);

  // Would binding `local` clash with a PCB already bound? Two PCBs clash on
  // one port when their addresses overlap (equal, or either is the
  // wildcard) and not both asked for reuse_address (Linux's
  // udp_lib_lport_inuse).
  [[nodiscard]] bool in_use(Endpoint local, bool reuse_address) const;

  // The one PCB a unicast datagram from `from` to `to` goes to, or null.
  [[nodiscard]] UdpPcb* lookup(Endpoint from, Endpoint to);
  // Every PCB that takes it, in the order they were bound: a broadcast or
  // multicast datagram is delivered to each (Linux's
  // __udp4_lib_mcast_deliver).
  [[nodiscard]] std::vector<UdpPcb*> all_matches(Endpoint from, Endpoint to);

  [[nodiscard]] std::size_t size() const { return count_; }

 private:
  // Per port, the PCBs bound on it, oldest first. A port with no PCB has no
  // entry.
  OpenHashMap<std::uint16_t, std::vector<UdpPcb*>> ports_;
  std::size_t count_ = 0;
};

}  // namespace netstep::udp
