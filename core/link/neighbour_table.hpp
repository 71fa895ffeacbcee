#pragma once
// The ARP cache of one interface (RFC 826, with the state machine of
// neighbour_state.hpp). It answers one question for the IPv4 layer: which
// MAC address does this next hop have? If the answer is not known yet, the
// packet waits in a bounded queue while requests go out; if nobody answers,
// the waiting packets are handed back to IPv4, which reports the host
// unreachable (RFC 1122 section 2.3.2.2).
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/bytes.hpp"
#include "base/ipv4_address.hpp"
#include "base/mac_address.hpp"
#include "event/event_loop.hpp"
#include "event/timer.hpp"
#include "link/arp_config.hpp"
#include "link/neighbour_state.hpp"
#include "trace/trace_bus.hpp"
#include "wire/arp.hpp"

namespace netstep {

class NeighbourTable {
 public:
  // What the table needs from its interface.
  class Owner {
   public:
    virtual ~Owner() = default;
    virtual void send_arp(const wire::ArpRepr& arp, MacAddress destination) = 0;
    // A queued packet whose next hop is now known.
    virtual void send_resolved(MacAddress destination, Bytes packet) = 0;
    // A queued packet whose next hop never answered.
    virtual void report_unresolved(Ipv4Address next_hop, Bytes packet) = 0;
  };

  struct Entry {
    Ipv4Address address;
    MacAddress mac;
    NeighbourState state = NeighbourState::None;
    int probes_sent = 0;
    Instant updated{};
  };

  NeighbourTable(EventLoop& loop, Tracer tracer, std::string_view interface, Owner& owner, ArpConfig config);
  ~NeighbourTable();
  NeighbourTable(const NeighbourTable&) = delete;
  NeighbourTable& operator=(const NeighbourTable&) = delete;

  void set_local(Ipv4Address address, MacAddress mac) {
    local_ip_ = address;
    local_mac_ = mac;
  }

  // The MAC for next_hop if it may be used now (REACHABLE, STALE, DELAY,
  // PROBE), valid until the table next changes (use it at once). Otherwise
  // nullptr: the packet is copied into the queue and a request goes out if
  // none is in flight. (A pointer, not an optional: an optional<MacAddress>
  // comes back through memory in pieces, which stalled every packet.)
  const MacAddress* resolve(Ipv4Address next_hop, Bytes packet);

  // An ARP packet addressed to this interface (RFC 826 "packet reception").
  void receive_arp(const wire::ArpRepr& arp);

  // Upper layers that saw forward progress (a TCP ACK) confirm reachability.
  void confirm(Ipv4Address address);

  // A gratuitous ARP request announcing our own mapping.
  void announce();

  [[nodiscard]] const ArpConfig& config() const { return config_; }
  // Another system's timing from now on (a socket personality's ARP
  // cadence); requests already in flight keep their timers. Throws
  // std::invalid_argument like the constructor.
  void set_config(const ArpConfig& config) {
    config.validate();
    config_ = config;
  }
  [[nodiscard]] std::optional<Entry> find(Ipv4Address address) const;
  // Every entry, sorted by address (for `arp -n`-like listings and tests).
  [[nodiscard]] std::vector<Entry> entries() const;
  [[nodiscard]] std::size_t queued_packets(Ipv4Address address) const;

 private:
  struct Slot;  // an entry with its timer and waiting packets

  Slot& slot_for(Ipv4Address address);
  void set_state(Slot& slot, NeighbourState next, std::string_view cause);
  void on_timer(Slot& slot);
  void send_request(Slot& slot, bool unicast);
  void learn(Slot& slot, MacAddress mac, NeighbourState next, std::string_view cause);
  void flush_queue(Slot& slot);
  void fail(Slot& slot, std::string_view cause);

  EventLoop& loop_;
  Tracer tracer_;
  std::string_view interface_;
  Owner& owner_;
  ArpConfig config_;
  Ipv4Address local_ip_;
  MacAddress local_mac_;
  std::unordered_map<Ipv4Address, std::unique_ptr<Slot>> slots_;  // never erased: Slot pointers stay valid
  Slot* last_slot_ = nullptr;  // the slot slot_for() returned last (the next hop of most packets)
};

}  // namespace netstep
