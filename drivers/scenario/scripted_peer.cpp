#include "scenario/scripted_peer.hpp"

#include <algorithm>

#include "wire/wire_error.hpp"

namespace netstep::scenario {

namespace {

std::uint32_t since(SeqNum value, std::optional<SeqNum> origin) {
  return value.value() - (origin ? origin->value() : 0U);
}

}  // namespace

ScriptedTcpPeer::ScriptedTcpPeer(Host& host) : host_{host}, tracer_{host.tracer()} {
  host.ip().register_transport(wire::ip_protocol::tcp, *this);
}

void ScriptedTcpPeer::Arrival::await_suspend(Task::Handle task) {
  const ThisTask self{task.promise().runner, task.promise().id};
  peer_.waiter_ = self;
  self.runner->wake_at(self.id, deadline_);  // an arrival replaces this with an earlier wake
}

void ScriptedTcpPeer::receive_ipv4(const wire::Ipv4Repr& header, Bytes payload, Bytes packet, bool link_broadcast) {
  // As the real layer does (RFC 1122 4.2.3.10): TCP is unicast only.
  if (link_broadcast || header.destination.is_multicast() || host_.ip().is_broadcast_for_us(header.destination)) {
    tracer_.emit(Layer::Tcp, Dropped{"TCP to a broadcast or multicast address", {}}, packet);
    return;
  }
  const auto parsed = wire::TcpRepr::parse(payload, header.source, header.destination);
  if (!parsed) {
    tracer_.emit(Layer::Tcp, Dropped{wire::describe(parsed.error()), {}}, packet);
    return;
  }
  const wire::TcpRepr& s = *parsed;
  learn(s);
  SeenSegment seen;
  seen.from = Endpoint{header.source, s.source_port};
  seen.to = Endpoint{header.destination, s.destination_port};
  seen.flags = s.flags.bits();
  seen.seq = since(s.seq, stack_isn_);
  seen.ack = s.flags.ack_set() ? s.ack.value() - script_isn_.value() : 0;
  seen.length = s.payload.size();
  seen.window = s.window;
  seen.mss = s.mss;
  seen.wscale = s.window_scale;
  seen.sack_permitted = s.sack_permitted;
  seen.timestamps = s.timestamps.has_value();
  seen.arrived = host_.loop().now();
  tracer_.emit(Layer::Tcp, TcpSegment{"received", seen.to, seen.from, seen.flags, s.seq.value(), s.ack.value(), seen.seq,
                                      seen.ack, seen.length, seen.window});
  last_from_ = seen.from;
  last_to_ = seen.to;
  arrived_.push_back(seen);
  if (waiter_) waiter_->runner->wake(waiter_->id);
}

// The stack's ISN is its first SYN's sequence number; what it has sent
// reaches as far as the furthest segment seen.
void ScriptedTcpPeer::learn(const wire::TcpRepr& s) {
  if (s.flags.syn_set() && !stack_isn_) stack_isn_ = s.seq;
  const SeqNum end = s.seq + s.sequence_length();
  if (!stack_next_ || *stack_next_ < end) stack_next_ = end;
}

void ScriptedTcpPeer::receive_icmp_error(const IcmpErrorReport&) {
  // The script sees segments only; the ICMP message itself is in the trace.
  tracer_.emit(Layer::Tcp, Dropped{"ICMP error for the scripted peer: not reported to the script", {}});
}

SeenSegment ScriptedTcpPeer::take_oldest() {
  SeenSegment s = arrived_.front();
  arrived_.pop_front();
  return s;
}

ScriptedTcpPeer::Injected ScriptedTcpPeer::inject(const SegmentToInject& spec) {
  Injected out;
  if (spec.isn) script_isn_ = script_next_ = SeqNum{*spec.isn};
  const std::optional<Endpoint> to = spec.to ? spec.to : last_from_;
  const std::optional<Port> from_port = spec.from_port ? spec.from_port : last_to_ ? std::optional{last_to_->port} : std::nullopt;
  if (!to || !from_port) {
    out.problem = "no segment has arrived to reply to: give to: and from_port:";
    return out;
  }
  wire::TcpRepr r;
  r.source_port = *from_port;
  r.destination_port = to->port;
  r.flags = wire::TcpFlags{spec.flags};
  r.seq = spec.seq ? script_isn_ + *spec.seq : script_next_;
  if (r.flags.ack_set()) {
    r.ack = spec.ack ? SeqNum{stack_isn_.value_or(SeqNum{0}).value() + *spec.ack} : stack_next_.value_or(SeqNum{0});
  } else if (spec.ack) {
    r.ack = SeqNum{stack_isn_.value_or(SeqNum{0}).value() + *spec.ack};  // written: sent, even without ACK
  }
  r.window = spec.window;
  r.mss = spec.mss;
  r.window_scale = spec.wscale;
  r.sack_permitted = spec.sack_permitted;
  if (spec.ts_value) r.timestamps = wire::TcpTimestamps{*spec.ts_value, spec.ts_echo};
  if (payload_.size() < spec.data) payload_.resize(spec.data, std::byte{'x'});
  r.payload = Bytes{payload_.data(), spec.data};

  // The reply leaves from the address the stack wrote to; an opening
  // segment from the outgoing interface's address.
  const Ipv4Address source = !spec.to && last_to_ ? last_to_->address : Ipv4Address{};
  SeenSegment& sent = out.segment;
  sent.to = *to;
  sent.flags = spec.flags;
  sent.seq = r.seq.value() - script_isn_.value();
  sent.ack = since(r.ack, stack_isn_);
  sent.length = spec.data;
  sent.window = r.window;
  sent.mss = r.mss;
  sent.wscale = r.window_scale;
  sent.sack_permitted = r.sack_permitted;
  sent.timestamps = r.timestamps.has_value();
  sent.arrived = host_.loop().now();
  const SendStatus status = host_.ip().send_written(
      to->address, wire::ip_protocol::tcp, r.length(), SendOptions{source},
      [&](MutableBytes segment, const wire::Ipv4Repr& header) {
        sent.from = Endpoint{header.source, r.source_port};
        tracer_.emit(Layer::Tcp, TcpSegment{"sent", sent.from, sent.to, sent.flags, r.seq.value(), r.ack.value(), sent.seq,
                                            sent.ack, sent.length, sent.window});
        r.emit(segment, header.source, header.destination);
      });
  if (!succeeded(status)) {
    out.problem = "IPv4 could not send it: " + std::string{to_string(status)};
    return out;
  }
  out.sent = true;
  const SeqNum end = r.seq + r.sequence_length();
  if (script_next_ < end) script_next_ = end;
  return out;
}

}  // namespace netstep::scenario
