#include "link/neighbour_table.hpp"

#include <algorithm>

namespace netstep {

struct NeighbourTable::Slot {
  Slot(NeighbourTable& table, Ipv4Address address)
      : timer{table.loop_, table.tracer_, Layer::Arp, "arp", [&table, this] { table.on_timer(*this); }} {
    entry.address = address;
  }
  Entry entry;
  Timer timer;
  std::deque<std::vector<std::byte>> waiting;
};

NeighbourTable::NeighbourTable(EventLoop& loop, Tracer tracer, std::string_view interface, Owner& owner,
                               ArpConfig config)
    : loop_{loop}, tracer_{tracer}, interface_{interface}, owner_{owner}, config_{config} {
  config_.validate();
}

NeighbourTable::~NeighbourTable() = default;

NeighbourTable::Slot& NeighbourTable::slot_for(Ipv4Address address) {
  if (last_slot_ != nullptr && last_slot_->entry.address == address) return *last_slot_;
  auto& slot = slots_[address];
  if (!slot) slot = std::make_unique<Slot>(*this, address);
  last_slot_ = slot.get();
  return *slot;
}

// The one door through which an entry changes state.
void NeighbourTable::set_state(Slot& slot, NeighbourState next, std::string_view cause) {
  const NeighbourState previous = slot.entry.state;
  slot.entry.state = next;
  slot.entry.updated = loop_.now();
  if (previous != next) {
    tracer_.emit(Layer::Arp, NeighbourStateChanged{interface_, slot.entry.address, slot.entry.mac,
                                                    to_string(previous), to_string(next), cause});
  }
}

const MacAddress* NeighbourTable::resolve(Ipv4Address next_hop, Bytes packet) {
  Slot& slot = slot_for(next_hop);
  switch (slot.entry.state) {
    case NeighbourState::Reachable:
    case NeighbourState::Delay:
    case NeighbourState::Probe:
      return &slot.entry.mac;
    case NeighbourState::Stale:
      // Used while stale: send with the old address, and check it soon.
      set_state(slot, NeighbourState::Delay, "stale entry used");
      slot.timer.arm_after(config_.delay_first_probe, "arp delay");
      return &slot.entry.mac;
    case NeighbourState::None:
    case NeighbourState::Failed:
    case NeighbourState::Incomplete:
      break;
  }
  // Queue a copy first: `packet` may live in the buffer the request is built in.
  if (slot.waiting.size() >= config_.queue_limit) {
    // Linux drops the oldest waiting packet to make room (neigh_resolve_output).
    tracer_.emit(Layer::Arp, Dropped{"ARP queue full: oldest waiting packet dropped", interface_},
                 Bytes{slot.waiting.front()});
    slot.waiting.pop_front();
  }
  slot.waiting.emplace_back(packet.begin(), packet.end());
  if (slot.entry.state != NeighbourState::Incomplete) {
    slot.entry.probes_sent = 0;
    set_state(slot, NeighbourState::Incomplete, "packet waiting for an address");
    send_request(slot, false);
  }
  return nullptr;
}

void NeighbourTable::send_request(Slot& slot, bool unicast) {
  ++slot.entry.probes_sent;
  const wire::ArpRepr request{wire::ArpOperation::Request, local_mac_, local_ip_, MacAddress::zero(),
                              slot.entry.address};
  owner_.send_arp(request, unicast ? slot.entry.mac : MacAddress::broadcast());
  slot.timer.arm_after(config_.retransmit_interval, unicast ? "arp probe" : "arp retransmit");
}

void NeighbourTable::on_timer(Slot& slot) {
  switch (slot.entry.state) {
    case NeighbourState::Incomplete:
      if (slot.entry.probes_sent < config_.request_attempts) {
        send_request(slot, false);
      } else {
        fail(slot, "no reply to ARP requests");
      }
      break;
    case NeighbourState::Reachable:
      set_state(slot, NeighbourState::Stale, "reachable time expired");
      slot.timer.arm_after(config_.stale_lifetime, "arp garbage collection");
      break;
    case NeighbourState::Delay:
      slot.entry.probes_sent = 0;
      set_state(slot, NeighbourState::Probe, "no confirmation during delay");
      if (config_.unicast_probes > 0) {
        send_request(slot, true);
      } else {
        fail(slot, "no unicast probes allowed");
      }
      break;
    case NeighbourState::Probe:
      if (slot.entry.probes_sent < config_.unicast_probes) {
        send_request(slot, true);
      } else {
        fail(slot, "no reply to unicast probes");
      }
      break;
    case NeighbourState::Stale:
    case NeighbourState::Failed:
    case NeighbourState::None:
      // Unused for stale_lifetime: forget the address. The slot itself stays
      // (its timer is running this very callback) and is reused if the
      // neighbour comes back.
      set_state(slot, NeighbourState::None, "unused entry removed");
      slot.entry.mac = MacAddress::zero();
      break;
  }
}

void NeighbourTable::fail(Slot& slot, std::string_view cause) {
  set_state(slot, NeighbourState::Failed, cause);
  // Hand the waiting packets back one by one; the queue is moved out first
  // because reporting may send (an ICMP error to ourselves) and re-enter.
  auto waiting = std::move(slot.waiting);
  slot.waiting.clear();
  const Ipv4Address address = slot.entry.address;
  slot.timer.arm_after(config_.stale_lifetime, "arp garbage collection");
  for (const auto& packet : waiting) owner_.report_unresolved(address, Bytes{packet});
}

void NeighbourTable::learn(Slot& slot, MacAddress mac, NeighbourState next, std::string_view cause) {
  slot.entry.mac = mac;
  slot.entry.probes_sent = 0;
  set_state(slot, next, cause);
  if (next == NeighbourState::Reachable) {
    slot.timer.arm_after(config_.reachable_time, "arp reachable");
  } else {
    slot.timer.arm_after(config_.stale_lifetime, "arp garbage collection");
  }
  flush_queue(slot);
}

void NeighbourTable::flush_queue(Slot& slot) {
  auto waiting = std::move(slot.waiting);
  slot.waiting.clear();
  const MacAddress mac = slot.entry.mac;
  for (const auto& packet : waiting) owner_.send_resolved(mac, Bytes{packet});
}

void NeighbourTable::receive_arp(const wire::ArpRepr& arp) {
  // RFC 826 merge: update an existing entry for the sender, whoever the
  // packet was meant for.
  const bool for_us = arp.target_ip == local_ip_ && !local_ip_.is_unspecified();
  const auto existing = slots_.find(arp.sender_ip);
  const bool known = existing != slots_.end() && existing->second->entry.state != NeighbourState::None;

  if (known) {
    Slot& slot = *existing->second;
    const bool solicited_reply = arp.operation == wire::ArpOperation::Reply && for_us;
    const bool changed = slot.entry.mac != arp.sender_mac;
    if (solicited_reply) {
      learn(slot, arp.sender_mac, NeighbourState::Reachable, "ARP reply received");
    } else if (slot.entry.state == NeighbourState::Incomplete) {
      // Heard from it, but not in answer to us: usable, not confirmed.
      learn(slot, arp.sender_mac, NeighbourState::Stale, "ARP packet from the neighbour");
    } else if (changed) {
      learn(slot, arp.sender_mac, NeighbourState::Stale, "neighbour announced a new address");
    }
  } else if (for_us && arp.operation == wire::ArpOperation::Request && !arp.sender_ip.is_unspecified()) {
    // A neighbour asking for us will surely talk to us next: remember it,
    // unconfirmed (Linux creates it STALE). An unsolicited reply creates
    // nothing (Linux's default, arp_accept = 0).
    learn(slot_for(arp.sender_ip), arp.sender_mac, NeighbourState::Stale, "ARP request from the neighbour");
  }

  if (for_us && arp.operation == wire::ArpOperation::Request) {
    const wire::ArpRepr reply{wire::ArpOperation::Reply, local_mac_, local_ip_, arp.sender_mac, arp.sender_ip};
    owner_.send_arp(reply, arp.sender_mac);
  }
}

void NeighbourTable::confirm(Ipv4Address address) {
  const auto it = slots_.find(address);
  if (it == slots_.end()) return;
  Slot& slot = *it->second;
  if (slot.entry.state == NeighbourState::Incomplete || slot.entry.state == NeighbourState::None ||
      slot.entry.state == NeighbourState::Failed) {
    return;
  }
  set_state(slot, NeighbourState::Reachable, "upper layer confirmed the neighbour");
  slot.timer.arm_after(config_.reachable_time, "arp reachable");
}

void NeighbourTable::announce() {
  if (local_ip_.is_unspecified()) return;
  const wire::ArpRepr announcement{wire::ArpOperation::Request, local_mac_, local_ip_, MacAddress::zero(), local_ip_};
  owner_.send_arp(announcement, MacAddress::broadcast());
}

std::optional<NeighbourTable::Entry> NeighbourTable::find(Ipv4Address address) const {
  const auto it = slots_.find(address);
  if (it == slots_.end() || it->second->entry.state == NeighbourState::None) return std::nullopt;
  return it->second->entry;
}

std::vector<NeighbourTable::Entry> NeighbourTable::entries() const {
  std::vector<Entry> list;
  list.reserve(slots_.size());
  for (const auto& [address, slot] : slots_) {
    if (slot->entry.state != NeighbourState::None) list.push_back(slot->entry);
  }
  std::sort(list.begin(), list.end(), [](const Entry& a, const Entry& b) { return a.address < b.address; });
  return list;
}

std::size_t NeighbourTable::queued_packets(Ipv4Address address) const {
  const auto it = slots_.find(address);
  return it == slots_.end() ? 0 : it->second->waiting.size();
}

}  // namespace netstep
