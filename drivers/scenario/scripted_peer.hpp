#pragma once
// A host's TCP played by the scenario's author, segment by segment (the
// packetdrill idea on virtual time). It takes TCP's place in the host's
// IPv4 layer (protocol 6), so the host still answers ARP and pings, but
// every TCP segment that arrives is parsed (checksum checked), traced and
// queued for the script, and the script's segments are built with the
// wire emitter and sent through IPv4. Sequence numbers cross this class
// relative (segment_script.hpp): it keeps both ISNs.
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "event/task.hpp"
#include "host/host.hpp"
#include "ip/transport.hpp"
#include "scenario/segment_script.hpp"
#include "wire/tcp.hpp"

namespace netstep::scenario {

class ScriptedTcpPeer final : public TransportProtocol {
 public:
  // The script's ISN unless an inject sets one (isn:).
  static constexpr std::uint32_t default_isn = 1'000'000;

  // Registers itself for protocol 6 on `host`, replacing the host's own TCP
  // layer, which from then on receives nothing (no socket API is made for a
  // scripted host, so nothing sends through it either).
  explicit ScriptedTcpPeer(Host& host);
  ScriptedTcpPeer(const ScriptedTcpPeer&) = delete;
  ScriptedTcpPeer& operator=(const ScriptedTcpPeer&) = delete;

  [[nodiscard]] std::string_view transport_name() const override { return "tcp (scripted)"; }
  void receive_ipv4(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) override;
  void receive_icmp_error(const IcmpErrorReport& report) override;

  // --- the script's side ---
  [[nodiscard]] bool has_segment() const { return !arrived_.empty(); }
  // The oldest segment not yet taken.
  [[nodiscard]] const SeenSegment& oldest() const { return arrived_.front(); }
  SeenSegment take_oldest();

  // What inject did: the segment as sent (relative numbers), or why not.
  struct Injected {
    bool sent = false;
    SeenSegment segment;  // seq relative to the script's ISN, ack to the stack's
    std::string problem;
  };
  Injected inject(const SegmentToInject& spec);

  // co_await peer.arrival(deadline): resumes when a segment arrives or at
  // `deadline`, whichever is first (at once if one is already queued).
  class Arrival {
   public:
    Arrival(ScriptedTcpPeer& peer, Instant deadline) : peer_{peer}, deadline_{deadline} {}
    [[nodiscard]] bool await_ready() const noexcept {
      return peer_.has_segment() || peer_.host_.loop().now() >= deadline_;
    }
    void await_suspend(Task::Handle task);
    void await_resume() noexcept { peer_.waiter_.reset(); }

   private:
    ScriptedTcpPeer& peer_;
    Instant deadline_;
  };
  [[nodiscard]] Arrival arrival(Instant deadline) { return Arrival{*this, deadline}; }

 private:
  void learn(const wire::TcpRepr& segment);

  Host& host_;
  Tracer tracer_;
  std::deque<SeenSegment> arrived_;
  std::optional<ThisTask> waiter_;  // the script's task, parked in Arrival
  // The stack's side: its ISN once a SYN showed it, what it sent up to.
  std::optional<SeqNum> stack_isn_;
  std::optional<SeqNum> stack_next_;
  // The script's side.
  SeqNum script_isn_{default_isn};
  SeqNum script_next_{default_isn};
  // Where the last segment came from and went to: where a reply goes.
  std::optional<Endpoint> last_from_;
  std::optional<Endpoint> last_to_;
  std::vector<std::byte> payload_;  // reused: what data bytes are sent from
};

}  // namespace netstep::scenario
