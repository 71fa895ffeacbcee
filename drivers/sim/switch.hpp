#pragma once
// A learning Ethernet bridge (IEEE 802.1D transparent bridging, minus the
// spanning tree: build loop-free topologies). It learns which port each
// source MAC lives behind, forwards known unicast to that port only, floods
// broadcast, multicast and unknown destinations to every other port, and
// forgets an address not heard from for ageing_time (300 s, 802.1D's default).
// Forwarding is instantaneous: all delay lives on the links.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/mac_address.hpp"
#include "base/time.hpp"
#include "event/event_loop.hpp"
#include "sim/link_endpoint.hpp"
#include "sim/reject.hpp"
#include "sim/rule_set.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::sim {

class Switch;

// Where a switch-port rule looks: at frames entering the switch through the
// port, or at frames the switch is about to send out of it.
enum class PortDirection : std::uint8_t { Ingress, Egress };

class SwitchPort final : public LinkEndpoint {
 public:
  SwitchPort(Switch& owner, std::size_t index);

  void receive_from_link(Bytes frame) override;
  [[nodiscard]] std::size_t max_frame_length() const override;
  [[nodiscard]] std::string label() const override;

  [[nodiscard]] Switch& owner() const { return *owner_; }
  [[nodiscard]] std::size_t index() const { return index_; }
  [[nodiscard]] const std::string& name() const { return name_; }  // "p0", "p1", ...
  [[nodiscard]] const RuleSet& rules(PortDirection d) const { return rules_[static_cast<std::size_t>(d)]; }

 private:
  friend class Switch;
  Switch* owner_;
  std::size_t index_;
  std::string name_;
  RuleSet rules_[2];
};

struct SwitchCounters {
  std::uint64_t received = 0;
  std::uint64_t forwarded = 0;  // known unicast sent out of exactly one port
  std::uint64_t flooded = 0;    // sent out of every other port
  std::uint64_t filtered = 0;   // destination is behind the port it came in on
  std::uint64_t dropped = 0;    // malformed, oversize, or taken by a rule
};

class Switch {
 public:
  static constexpr Duration default_ageing_time = 300s;

  Switch(EventLoop& loop, TraceBus& bus, std::string name, std::size_t ports, std::size_t mtu = 1500);
  Switch(const Switch&) = delete;
  Switch& operator=(const Switch&) = delete;

  // Throws std::out_of_range for a port the switch does not have.
  [[nodiscard]] SwitchPort& port(std::size_t index) { return *ports_.at(index); }
  [[nodiscard]] std::size_t port_count() const { return ports_.size(); }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::size_t mtu() const { return mtu_; }

  void add_rule(std::size_t port, FrameRule rule, PortDirection where = PortDirection::Ingress);
  void set_ageing_time(Duration ageing_time) { ageing_time_ = ageing_time; }

  // The port `mac` was last seen behind, unless it has aged out.
  [[nodiscard]] std::optional<std::size_t> lookup(MacAddress mac) const;
  // Addresses learned and not yet aged out.
  [[nodiscard]] std::size_t table_size() const;
  [[nodiscard]] const SwitchCounters& counters() const { return counters_; }

 private:
  friend class SwitchPort;
  struct Entry {
    std::size_t port;
    Instant last_seen;
  };

  void receive_on_port(std::size_t port, Bytes frame);
  // learn: false for a rule's reply, which must not teach the table where its
  // (borrowed) source address lives.
  void switch_frame(std::size_t ingress, Bytes frame, bool learn);
  void send_out_of_port(std::size_t port, Bytes frame);
  bool taken_by_rules(std::size_t port, PortDirection where, Bytes frame);
  void drop(std::size_t port, std::string_view reason, Bytes frame);
  [[nodiscard]] bool fresh(const Entry& e) const { return loop_->now() - e.last_seen < ageing_time_; }

  EventLoop* loop_;
  TraceBus* bus_;
  std::string name_;
  std::size_t mtu_;
  Duration ageing_time_ = default_ageing_time;
  std::vector<std::unique_ptr<SwitchPort>> ports_;
  std::map<MacAddress, Entry> table_;
  SwitchCounters counters_;
};

}  // namespace netstep::sim
