#include "sim/switch.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "wire/ethernet.hpp"

namespace netstep::sim {

SwitchPort::SwitchPort(Switch& owner, std::size_t index)
    : owner_{&owner}, index_{index}, name_{"p" + std::to_string(index)} {}

void SwitchPort::receive_from_link(Bytes frame) { owner_->receive_on_port(index_, frame); }
std::size_t SwitchPort::max_frame_length() const { return sim::max_frame_length(owner_->mtu()); }
std::string SwitchPort::label() const { return owner_->name() + '.' + name_; }

Switch::Switch(EventLoop& loop, TraceBus& bus, std::string name, std::size_t ports, std::size_t mtu)
    : loop_{&loop}, bus_{&bus}, name_{std::move(name)}, mtu_{mtu} {
  if (ports == 0) throw std::invalid_argument("switch " + name_ + ": needs at least one port");
  ports_.reserve(ports);
  for (std::size_t i = 0; i < ports; ++i) ports_.push_back(std::make_unique<SwitchPort>(*this, i));
}

void Switch::add_rule(std::size_t port, FrameRule rule, PortDirection where) {
  ports_.at(port)->rules_[static_cast<std::size_t>(where)].add(std::move(rule));
}

std::optional<std::size_t> Switch::lookup(MacAddress mac) const {
  const auto it = table_.find(mac);
  if (it == table_.end() || !fresh(it->second)) return std::nullopt;
  return it->second.port;
}

std::size_t Switch::table_size() const {
  return static_cast<std::size_t>(
      std::count_if(table_.begin(), table_.end(), [this](const auto& kv) { return fresh(kv.second); }));
}

void Switch::drop(std::size_t port, std::string_view reason, Bytes frame) {
  ++counters_.dropped;
  Tracer{*bus_, name_}.emit(Layer::Driver, Dropped{reason, ports_[port]->name()}, frame);
}

void Switch::receive_on_port(std::size_t port, Bytes frame) {
  ++counters_.received;
  if (frame.size() < wire::EthernetView::header_length_untagged) {
    return drop(port, "frame shorter than an Ethernet header", frame);
  }
  if (frame.size() > frame_limit(mtu_, frame)) return drop(port, "frame larger than the link MTU", frame);

  if (taken_by_rules(port, PortDirection::Ingress, frame)) return;
  switch_frame(port, frame, /*learn=*/true);
}

// A port's rules in one direction: when one takes the frame, it is dropped
// (traced) and the rule's answer, if any, goes back towards the sender: out
// of the port an ingress frame came in on, or switched as if arriving at
// the port an egress frame was leaving by (it comes from beyond it).
bool Switch::taken_by_rules(std::size_t port, PortDirection where, Bytes frame) {
  RuleSet& rules = ports_[port]->rules_[static_cast<std::size_t>(where)];
  if (rules.empty()) return false;
  const RuleSet::Verdict verdict = rules.apply(frame);
  if (verdict.action == nullptr) return false;
  drop(port, verdict.reason, frame);
  std::array<std::byte, max_reply_length> reply{};
  const std::size_t length = build_reply(*verdict.action, frame, reply);
  if (length == 0) return true;
  if (where == PortDirection::Ingress) {
    send_out_of_port(port, Bytes{reply}.first(length));
  } else {
    switch_frame(port, Bytes{reply}.first(length), /*learn=*/false);
  }
  return true;
}

void Switch::switch_frame(std::size_t ingress, Bytes frame, bool learn) {
  const auto ethernet = wire::EthernetView::check(frame);
  if (!ethernet) return;  // receive_on_port() checked; a rule's reply is well formed
  const MacAddress source = ethernet->source();
  const MacAddress destination = ethernet->destination();
  if (learn && !source.is_multicast() && !source.is_zero()) {
    table_.insert_or_assign(source, Entry{ingress, loop_->now()});
  }

  if (!destination.is_multicast()) {
    const auto it = table_.find(destination);
    if (it != table_.end()) {
      if (!fresh(it->second)) {
        table_.erase(it);  // aged out: flood below, as for an address never seen
      } else if (it->second.port == ingress) {
        ++counters_.filtered;  // already on the segment it came from
        return;
      } else {
        ++counters_.forwarded;
        send_out_of_port(it->second.port, frame);
        return;
      }
    }
  }
  ++counters_.flooded;
  for (std::size_t p = 0; p < ports_.size(); ++p) {
    if (p != ingress) send_out_of_port(p, frame);
  }
}

void Switch::send_out_of_port(std::size_t port, Bytes frame) {
  SwitchPort& out = *ports_[port];
  if (!out.plugged()) return;  // an empty socket: nothing to flood to
  if (taken_by_rules(port, PortDirection::Egress, frame)) return;
  out.send_to_link(frame);
}

}  // namespace netstep::sim
