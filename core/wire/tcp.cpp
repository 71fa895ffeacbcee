#include "wire/tcp.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "wire/checksum.hpp"
#include "wire/ipv4.hpp"

namespace netstep::wire {

namespace {
constexpr std::size_t max_options_length = TcpView::max_header_length - TcpView::min_header_length;

std::uint16_t pseudo_checksum(Bytes segment, Ipv4Address source, Ipv4Address destination) {
  ChecksumAccumulator acc;
  add_pseudo_header(acc, source, destination, ip_protocol::tcp, static_cast<std::uint16_t>(segment.size()));
  acc.add(segment);
  return acc.checksum();
}

// Reads one known option's data into repr; false if its length is not the
// one its kind requires.
bool read_option(TcpRepr& repr, std::uint8_t kind, Bytes data) {
  switch (kind) {
    case tcp_option::mss:
      if (data.size() != 2) return false;
      repr.mss = load_be16(data, 0);
      return true;
    case tcp_option::window_scale:
      if (data.size() != 1) return false;
      repr.window_scale = load_u8(data, 0);
      return true;
    case tcp_option::sack_permitted:
      if (!data.empty()) return false;
      repr.sack_permitted = true;
      return true;
    case tcp_option::sack: {
      if (data.empty() || data.size() % 8 != 0 || data.size() / 8 > TcpRepr::max_sack_blocks) return false;
      repr.sack_count = static_cast<std::uint8_t>(data.size() / 8);
      for (std::size_t i = 0; i < repr.sack_count; ++i) {
        repr.sack_blocks[i] = SackBlock{SeqNum{load_be32(data, 8 * i)}, SeqNum{load_be32(data, 8 * i + 4)}};
      }
      return true;
    }
    case tcp_option::timestamps:
      if (data.size() != 8) return false;
      repr.timestamps = TcpTimestamps{load_be32(data, 0), load_be32(data, 4)};
      return true;
    default:
      return true;  // unknown kinds are skipped (RFC 9293 3.2: must be ignored)
  }
}

Result<bool, WireError> parse_options(TcpRepr& repr, Bytes options) {
  std::size_t at = 0;
  while (at < options.size()) {
    const std::uint8_t kind = load_u8(options, at);
    if (kind == tcp_option::end) break;  // the rest is padding
    if (kind == tcp_option::nop) {
      ++at;
      continue;
    }
    if (at + 1 >= options.size()) return Failure{WireError::BadOption};
    const std::size_t length = load_u8(options, at + 1);
    if (length < 2 || at + length > options.size()) return Failure{WireError::BadOption};
    if (!read_option(repr, kind, options.subspan(at + 2, length - 2))) return Failure{WireError::BadOption};
    at += length;
  }
  return true;
}

// The option bytes before any SACK blocks, and how many blocks fit after them.
std::size_t fixed_options_length(const TcpRepr& r) {
  return (r.mss ? 4u : 0u) + (r.timestamps ? 12u : r.sack_permitted ? 4u : 0u) + (r.window_scale ? 4u : 0u);
}
std::size_t sack_blocks_sent(const TcpRepr& r) {
  const std::size_t fixed = fixed_options_length(r);
  const std::size_t room = fixed + 4 < max_options_length ? (max_options_length - fixed - 4) / 8 : 0;
  return std::min<std::size_t>({r.sack_count, room, TcpRepr::max_sack_blocks});
}
}  // namespace

std::string to_string(TcpFlags flags) {
  // SYN and FIN first, ACK last: reads as people say it ("SYN,ACK", "FIN,ACK").
  static constexpr struct {
    std::uint8_t bit;
    const char* name;
  } order[] = {{TcpFlags::syn, "SYN"}, {TcpFlags::fin, "FIN"}, {TcpFlags::rst, "RST"}, {TcpFlags::psh, "PSH"},
               {TcpFlags::urg, "URG"}, {TcpFlags::ece, "ECE"}, {TcpFlags::cwr, "CWR"}, {TcpFlags::ack, "ACK"}};
  std::string s;
  for (const auto& f : order) {
    if (flags.has(f.bit)) s += (s.empty() ? "" : ",") + std::string{f.name};
  }
  return s.empty() ? "none" : s;
}

Result<TcpView, WireError> TcpView::check(Bytes segment) {
  if (segment.size() < min_header_length) return Failure{WireError::Truncated};
  const TcpView view{segment};
  if (view.header_length() < min_header_length || view.header_length() > segment.size()) {
    return Failure{WireError::BadHeaderLength};
  }
  return view;
}

bool TcpView::checksum_ok(Ipv4Address source, Ipv4Address destination) const {
  return pseudo_checksum(bytes_, source, destination) == 0;
}

Result<TcpRepr, WireError> TcpRepr::parse(Bytes segment, Ipv4Address source, Ipv4Address destination) {
  auto view = TcpView::check(segment);
  if (!view) return Failure{view.error()};
  if (!view->checksum_ok(source, destination)) return Failure{WireError::BadChecksum};
  TcpRepr repr;
  repr.source_port = view->source_port();
  repr.destination_port = view->destination_port();
  repr.seq = view->seq();
  repr.ack = view->ack();
  repr.flags = view->flags();
  repr.window = view->window();
  repr.urgent_pointer = view->urgent_pointer();
  repr.payload = view->payload();
  auto options = parse_options(repr, view->options());
  if (!options) return Failure{options.error()};
  return repr;
}

std::size_t TcpRepr::header_length() const {
  const std::size_t blocks = sack_blocks_sent(*this);
  return TcpView::min_header_length + fixed_options_length(*this) + (blocks ? 4 + 8 * blocks : 0);
}

std::uint32_t TcpRepr::sequence_length() const {
  return static_cast<std::uint32_t>(payload.size()) + (flags.syn_set() ? 1u : 0u) + (flags.fin_set() ? 1u : 0u);
}

void TcpRepr::emit(MutableBytes segment, Ipv4Address source, Ipv4Address destination) const {
  const std::size_t header = header_length();
  assert(segment.size() >= header + payload.size());
  if (!payload.empty() && segment.data() + header != payload.data()) {
    std::memmove(segment.data() + header, payload.data(), payload.size());
  }
  store_be16(segment, 0, source_port.value());
  store_be16(segment, 2, destination_port.value());
  store_be32(segment, 4, seq.value());
  store_be32(segment, 8, ack.value());
  store_u8(segment, 12, static_cast<std::uint8_t>((header / 4) << 4));
  store_u8(segment, 13, flags.bits());
  store_be16(segment, 14, window);
  store_be16(segment, 16, 0);
  store_be16(segment, 18, urgent_pointer);

  std::size_t at = TcpView::min_header_length;
  auto put = [&](std::uint8_t b) { store_u8(segment, at++, b); };
  if (mss) {
    put(tcp_option::mss), put(4);
    store_be16(segment, at, *mss), at += 2;
  }
  if (timestamps) {
    if (sack_permitted) put(tcp_option::sack_permitted), put(2);
    else put(tcp_option::nop), put(tcp_option::nop);
    put(tcp_option::timestamps), put(10);
    store_be32(segment, at, timestamps->value), at += 4;
    store_be32(segment, at, timestamps->echo), at += 4;
  } else if (sack_permitted) {
    put(tcp_option::nop), put(tcp_option::nop), put(tcp_option::sack_permitted), put(2);
  }
  if (window_scale) put(tcp_option::nop), put(tcp_option::window_scale), put(3), put(*window_scale);
  if (const std::size_t blocks = sack_blocks_sent(*this)) {
    put(tcp_option::nop), put(tcp_option::nop), put(tcp_option::sack);
    put(static_cast<std::uint8_t>(2 + 8 * blocks));
    for (std::size_t i = 0; i < blocks; ++i) {
      store_be32(segment, at, sack_blocks[i].left.value()), at += 4;
      store_be32(segment, at, sack_blocks[i].right.value()), at += 4;
    }
  }
  assert(at == header);
  const auto whole = segment.first(header + payload.size());
  store_be16(segment, 16, pseudo_checksum(whole, source, destination));
}

std::string to_string(const TcpRepr& repr) {
  std::string s = std::to_string(repr.source_port.value()) + " > " + std::to_string(repr.destination_port.value()) +
                  " [" + to_string(repr.flags) + "] seq " + std::to_string(repr.seq.value());
  if (repr.flags.ack_set()) s += " ack " + std::to_string(repr.ack.value());
  s += " win " + std::to_string(repr.window);
  std::string options;
  auto add = [&](const std::string& text) { options += (options.empty() ? "" : ",") + text; };
  if (repr.mss) add("mss " + std::to_string(*repr.mss));
  if (repr.sack_permitted) add("sackOK");
  if (repr.timestamps) {
    add("TS val " + std::to_string(repr.timestamps->value) + " ecr " + std::to_string(repr.timestamps->echo));
  }
  if (repr.window_scale) add("wscale " + std::to_string(*repr.window_scale));
  for (std::size_t i = 0; i < repr.sack_count && i < TcpRepr::max_sack_blocks; ++i) {
    add("sack " + std::to_string(repr.sack_blocks[i].left.value()) + ":" +
        std::to_string(repr.sack_blocks[i].right.value()));
  }
  if (!options.empty()) s += " <" + options + ">";
  if (!repr.payload.empty()) s += ", " + std::to_string(repr.payload.size()) + " bytes";
  return s;
}

}  // namespace netstep::wire
