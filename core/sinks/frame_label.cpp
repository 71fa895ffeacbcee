#include "sinks/frame_label.hpp"

#include "wire/arp.hpp"
#include "wire/describe.hpp"
#include "wire/ethernet.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"

namespace netstep::diagram {

namespace {

// A long capture meets many flows; forgetting them all now and then keeps
// the memory bounded, and costs only relative numbers for old flows.
constexpr std::size_t max_flows = 4096;

// "1" or "1(1411452507)", or the absolute number alone when the ISN is unknown.
std::string number(std::uint32_t absolute, std::optional<std::uint32_t> isn, bool with_absolute) {
  if (!isn) return std::to_string(absolute);
  std::string text = std::to_string(absolute - *isn);  // modulo 2^32, as sequence space is
  if (with_absolute) text += "(" + std::to_string(absolute) + ")";
  return text;
}

std::string tcp_label(const wire::Ipv4View& ip, Bytes segment, SequenceNumbers& numbers, LabelOptions options) {
  const auto view = wire::TcpView::check(segment);
  if (!view) return "TCP (" + std::string{wire::describe(view.error())} + ")";
  const Endpoint from{ip.source(), view->source_port()};
  const Endpoint to{ip.destination(), view->destination_port()};
  const wire::TcpFlags flags = view->flags();
  if (flags.syn_set()) numbers.learn_syn(from, to, view->seq().value());

  const auto own_isn = numbers.initial(from, to);
  std::string text = wire::to_string(flags) + " seq=" + number(view->seq().value(), own_isn, options.absolute_numbers);
  if (flags.ack_set()) {
    text += " ack=" + number(view->ack().value(), numbers.initial(to, from), options.absolute_numbers);
  }
  const std::size_t length = view->payload().size();
  if (length > 0) text += " len=" + std::to_string(length);
  text += " win=" + std::to_string(view->window());

  // The options need the checksum to be right; a corrupted segment says so.
  const auto repr = wire::TcpRepr::parse(segment, ip.source(), ip.destination());
  if (!repr) return text + " (" + std::string{wire::describe(repr.error())} + ")";
  if (repr->mss) text += " mss=" + std::to_string(*repr->mss);
  if (options.full) {
    if (repr->window_scale) text += " wscale=" + std::to_string(*repr->window_scale);
    if (repr->sack_permitted) text += " sackOK";
    if (repr->timestamps) {
      text += " TS=" + std::to_string(repr->timestamps->value) + "/" + std::to_string(repr->timestamps->echo);
    }
    const auto peer_isn = numbers.initial(to, from);
    for (std::size_t i = 0; i < repr->sack_count && i < wire::TcpRepr::max_sack_blocks; ++i) {
      text += " sack=" + number(repr->sack_blocks[i].left.value(), peer_isn, false) + "-" +
              number(repr->sack_blocks[i].right.value(), peer_isn, false);
    }
  }
  // The absolute number the relative ones count from, once per direction.
  if (flags.syn_set() && !options.absolute_numbers) text += " isn=" + std::to_string(view->seq().value());
  return text;
}

// describe_frame's words without "IPv4 a > b: ", which the arrow already says.
std::string without_addresses(std::string description) {
  constexpr std::string_view ipv4 = "IPv4 ";
  if (description.starts_with(ipv4)) {
    const auto colon = description.find(": ");
    if (colon != std::string::npos) return description.substr(colon + 2);
  }
  return description;
}

}  // namespace

void SequenceNumbers::remember(Endpoint from, Endpoint to, std::uint32_t isn, bool replace) {
  if (isn_.size() >= max_flows && !isn_.contains({from, to})) isn_.clear();
  const auto [it, inserted] = isn_.try_emplace({from, to}, isn);
  if (!inserted && replace) it->second = isn;
}

void SequenceNumbers::learn_syn(Endpoint from, Endpoint to, std::uint32_t isn) { remember(from, to, isn, true); }

void SequenceNumbers::learn(const TcpSegment& s) {
  constexpr std::uint8_t ack_flag = wire::TcpFlags::ack;
  const bool sent = s.direction == "sent";
  const Endpoint sender = sent ? s.local : s.remote;
  const Endpoint receiver = sent ? s.remote : s.local;
  remember(sender, receiver, s.seq - s.relative_seq, false);
  if ((s.flags & ack_flag) != 0) remember(receiver, sender, s.ack - s.relative_ack, false);
}

std::optional<std::uint32_t> SequenceNumbers::initial(Endpoint from, Endpoint to) const {
  const auto it = isn_.find({from, to});
  if (it == isn_.end()) return std::nullopt;
  return it->second;
}

std::string frame_label(Bytes frame, SequenceNumbers& numbers, LabelOptions options) {
  const auto ethernet = wire::EthernetView::check(frame);
  if (ethernet && ethernet->ethertype() == wire::ethertype::ipv4) {
    const auto ip = wire::Ipv4View::check(ethernet->payload());
    if (ip && ip->protocol() == wire::ip_protocol::tcp && ip->fragment_offset() == 0 && !ip->more_fragments()) {
      return tcp_label(*ip, ip->payload(), numbers, options);
    }
  }
  std::string description = wire::describe_frame(frame);
  return options.full ? description : without_addresses(std::move(description));
}

std::optional<FrameAddresses> frame_addresses(Bytes frame) {
  const auto ethernet = wire::EthernetView::check(frame);
  if (!ethernet) return std::nullopt;
  FrameAddresses a;
  a.source_mac = ethernet->source();
  a.destination_mac = ethernet->destination();
  a.to_group = ethernet->destination_is_group();
  if (ethernet->ethertype() == wire::ethertype::ipv4) {
    if (const auto ip = wire::Ipv4View::check(ethernet->payload())) a.ip_destination = ip->destination();
  } else if (ethernet->ethertype() == wire::ethertype::arp) {
    if (const auto arp = wire::ArpRepr::parse(ethernet->payload())) {
      a.arp_sender = arp->sender_ip;
      a.arp_target = arp->target_ip;
    }
  }
  return a;
}

}  // namespace netstep::diagram
