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

// Stores header fields and sums them as big-endian 16-bit words, as the
// checksum reads them.
struct HeaderWriter {
  MutableBytes out;
  std::uint64_t sum = 0;
  void u8(std::size_t at, std::uint8_t v) {
    store_u8(out, at, v);
    sum += at % 2 == 0 ? std::uint64_t{v} << 8 : std::uint64_t{v};
  }
  void be16(std::size_t at, std::uint16_t v) {
    store_be16(out, at, v);
    // At an odd offset the two bytes straddle two words: the byte-swapped
    // value adds the same (RFC 1071 2(B)).
    sum += at % 2 == 0 ? v : static_cast<std::uint16_t>((v >> 8) | (v << 8));
  }
  void be32(std::size_t at, std::uint32_t v) {
    be16(at, static_cast<std::uint16_t>(v >> 16));
    be16(at + 2, static_cast<std::uint16_t>(v & 0xffff));
  }
};

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
  // Filled in place in the one object every path returns (so the compiler
  // builds it in the caller's: no copy of a freshly written struct, which
  // the CPU would read back in wide loads and stall).
  Result<TcpRepr, WireError> result{std::in_place};
  auto view = TcpView::check(segment);
  if (!view) {
    result = Failure{view.error()};
    return result;
  }
  if (!view->checksum_ok(source, destination)) {
    result = Failure{WireError::BadChecksum};
    return result;
  }
  TcpRepr& repr = *result;
  repr.source_port = view->source_port();
  repr.destination_port = view->destination_port();
  repr.seq = view->seq();
  repr.ack = view->ack();
  repr.flags = view->flags();
  repr.window = view->window();
  repr.urgent_pointer = view->urgent_pointer();
  repr.payload = view->payload();
  if (view->header_length() > TcpView::min_header_length) {
    if (auto options = parse_options(repr, view->options()); !options) result = Failure{options.error()};
  }
  return result;
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
  // The payload is summed as it is copied (one pass over it); a payload
  // already in place, or one overlapping its destination, is summed apart.
  const MutableBytes payload_out = segment.subspan(header, payload.size());
  const bool overlapping = !payload.empty() && payload.data() < payload_out.data() + payload_out.size() &&
                           payload_out.data() < payload.data() + payload.size();
  std::uint16_t payload_sum = 0;
  if (payload.empty()) {
    // nothing to copy or sum
  } else if (!overlapping) {
    payload_sum = copy_and_sum(payload_out, payload);
  } else {
    if (payload_out.data() != payload.data()) std::memmove(payload_out.data(), payload.data(), payload.size());
    payload_sum = ones_complement_sum(Bytes{payload_out});
  }
  // The header is summed from the values as they are written, not read back
  // from the bytes just stored (a wide load of fresh byte stores stalls the
  // CPU). A byte at an even offset is the high half of its 16-bit word.
  HeaderWriter w{segment};
  w.be16(0, source_port.value());
  w.be16(2, destination_port.value());
  w.be32(4, seq.value());
  w.be32(8, ack.value());
  w.u8(12, static_cast<std::uint8_t>((header / 4) << 4));
  w.u8(13, flags.bits());
  w.be16(14, window);
  w.be16(16, 0);
  w.be16(18, urgent_pointer);

  std::size_t at = TcpView::min_header_length;
  auto put = [&](std::uint8_t b) { w.u8(at++, b); };
  if (mss) {
    put(tcp_option::mss), put(4);
    w.be16(at, *mss), at += 2;
  }
  if (timestamps) {
    if (sack_permitted) put(tcp_option::sack_permitted), put(2);
    else put(tcp_option::nop), put(tcp_option::nop);
    put(tcp_option::timestamps), put(10);
    w.be32(at, timestamps->value), at += 4;
    w.be32(at, timestamps->echo), at += 4;
  } else if (sack_permitted) {
    put(tcp_option::nop), put(tcp_option::nop), put(tcp_option::sack_permitted), put(2);
  }
  if (window_scale) put(tcp_option::nop), put(tcp_option::window_scale), put(3), put(*window_scale);
  if (const std::size_t blocks = sack_blocks_sent(*this)) {
    put(tcp_option::nop), put(tcp_option::nop), put(tcp_option::sack);
    put(static_cast<std::uint8_t>(2 + 8 * blocks));
    for (std::size_t i = 0; i < blocks; ++i) {
      w.be32(at, sack_blocks[i].left.value()), at += 4;
      w.be32(at, sack_blocks[i].right.value()), at += 4;
    }
  }
  assert(at == header);
  // Pseudo-header (RFC 9293 3.1), header, then the payload's sum: the header
  // is a whole number of 32-bit words, so the payload's sum adds as one
  // 16-bit word.
  const std::uint32_t from = source.to_u32();
  const std::uint32_t to = destination.to_u32();
  const std::uint64_t sum = w.sum + (from >> 16) + (from & 0xffff) + (to >> 16) + (to & 0xffff) + ip_protocol::tcp +
                            header + payload.size() + payload_sum;
  store_be16(segment, 16, static_cast<std::uint16_t>(~fold_sum(sum)));
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
