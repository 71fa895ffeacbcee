#include "udp/port_table.hpp"

#include <algorithm>

#include "udp/udp_pcb.hpp"

namespace netstep::udp {

namespace {
bool overlap(Ipv4Address a, Ipv4Address b) { return a == b || a.is_unspecified() || b.is_unspecified(); }
}  // namespace

int match_score(const UdpPcb& pcb, Endpoint from, Endpoint to) {
  int score = 0;
  const Ipv4Address bound = pcb.local().address;
  if (!bound.is_unspecified()) {
    if (bound != to.address) return -1;
    score += 4;
  }
  if (const auto& peer = pcb.peer()) {
    if (peer->address != from.address) return -1;
    score += 4;
    if (!peer->port.is_zero()) {
      if (peer->port != from.port) return -1;
      score += 4;
    }
  }
  return score;
}

void PortTable::insert(UdpPcb& pcb) {
  ports_.try_emplace(pcb.local().port.value()).first->push_back(&pcb);
  ++count_;
}

void PortTable::erase(const UdpPcb& pcb) {
  std::vector<UdpPcb*>* on_port = ports_.find(pcb.local().port.value());
  if (on_port == nullptr) return;
  const auto it = std::find(on_port->begin(), on_port->end(), &pcb);
  if (it == on_port->end()) return;
  on_port->erase(it);
  --count_;
  if (on_port->empty()) ports_.erase(pcb.local().port.value());
}

bool PortTable::in_use(Endpoint local, bool reuse_address) const {
  const std::vector<UdpPcb*>* on_port = ports_.find(local.port.value());
  if (on_port == nullptr) return false;
  return std::any_of(on_port->begin(), on_port->end(), [&](const UdpPcb* other) {
    return overlap(other->local().address, local.address) && !(reuse_address && other->reuse_address());
  });
}

UdpPcb* PortTable::lookup(Endpoint from, Endpoint to) {
  std::vector<UdpPcb*>* on_port = ports_.find(to.port.value());
  if (on_port == nullptr) return nullptr;
  UdpPcb* best = nullptr;
  int best_score = -1;
  // Newest first, and only a strictly better score replaces: the PCB bound
  // last wins a tie.
  for (auto it = on_port->rbegin(); it != on_port->rend(); ++it) {
    const int score = match_score(**it, from, to);
    if (score > best_score) {
      best = *it;
      best_score = score;
    }
  }
  return best;
}

std::vector<UdpPcb*> PortTable::all_matches(Endpoint from, Endpoint to) {
  std::vector<UdpPcb*> found;
  if (const std::vector<UdpPcb*>* on_port = ports_.find(to.port.value())) {
    for (UdpPcb* pcb : *on_port) {
      if (match_score(*pcb, from, to) >= 0) found.push_back(pcb);
    }
  }
  return found;
}

}  // namespace netstep::udp
