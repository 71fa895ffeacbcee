#include "ip/reassembler.hpp"

#include <algorithm>

namespace netstep {

Reassembler::Reassembler(EventLoop& loop, Tracer tracer, ReassemblyConfig config, TimeoutHandler on_timeout)
    : loop_{loop},
      tracer_{tracer},
      config_{config},
      on_timeout_{std::move(on_timeout)},
      timer_{loop, tracer, Layer::Ipv4, "reassembly timeout", [this] { on_timer(); }} {
  config_.validate();
}

bool Reassembler::complete(const Pending& p) {
  return p.total_length && p.runs.size() == 1 && p.runs.front().first == 0 &&
         p.runs.front().second == *p.total_length;
}

void Reassembler::discard(std::map<Key, Pending>::iterator it, std::string_view reason) {
  tracer_.emit(Layer::Ipv4, Dropped{reason, {}}, Bytes{it->second.first_fragment});
  bytes_held_ -= it->second.payload.capacity();
  pending_.erase(it);
}

void Reassembler::evict_for(std::size_t incoming_bytes) {
  while (!pending_.empty() &&
         (pending_.size() >= config_.max_datagrams || bytes_held_ + incoming_bytes > config_.max_bytes)) {
    auto oldest = std::min_element(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
      return a.second.created_order < b.second.created_order;
    });
    discard(oldest, "reassembly limit reached: oldest datagram discarded");
  }
}

std::optional<Reassembler::Datagram> Reassembler::receive(const wire::Ipv4Repr& header, Bytes packet) {
  const Key key{header.source.to_u32(), header.destination.to_u32(), header.protocol, header.identification};
  const std::size_t begin = header.fragment_offset;
  const std::size_t end = begin + header.payload_length;
  const Bytes payload = packet.subspan(header.parsed_header_length, header.payload_length);

  if (header.payload_length == 0) {
    tracer_.emit(Layer::Ipv4, Dropped{"empty fragment", {}}, packet);
    return std::nullopt;
  }
  // Every fragment but the last carries a multiple of 8 bytes (RFC 791).
  if (header.more_fragments && header.payload_length % 8 != 0) {
    tracer_.emit(Layer::Ipv4, Dropped{"fragment length not a multiple of 8", {}}, packet);
    return std::nullopt;
  }

  auto it = pending_.find(key);
  if (it == pending_.end()) {
    evict_for(end);
    Pending fresh;
    fresh.created_order = next_order_++;
    fresh.deadline = loop_.now() + config_.timeout;
    it = pending_.emplace(key, std::move(fresh)).first;
    arm_timer();
  }
  Pending& p = it->second;

  // The end of the datagram must stay consistent (Linux ip_frag_queue).
  const std::size_t seen_end = p.runs.empty() ? 0 : p.runs.back().second;
  if (!header.more_fragments && (end < seen_end || (p.total_length && *p.total_length != end))) {
    discard(it, "inconsistent last fragment: datagram discarded");
    return std::nullopt;
  }
  if (header.more_fragments && p.total_length && end > *p.total_length) {
    discard(it, "fragment beyond the datagram's end: datagram discarded");
    return std::nullopt;
  }
  // A fragment inside data already held is a repeat and is dropped alone;
  // any partial overlap discards the datagram (Linux inet_frag_queue_insert).
  for (const auto& [run_begin, run_end] : p.runs) {
    if (begin >= run_begin && end <= run_end) {
      tracer_.emit(Layer::Ipv4, Dropped{"duplicate fragment", {}}, packet);
      return std::nullopt;
    }
    if (begin < run_end && end > run_begin) {
      discard(it, "overlapping fragments: datagram discarded");
      return std::nullopt;
    }
  }
  if (!header.more_fragments) p.total_length = end;
  if (++p.fragments > config_.max_fragments) {
    discard(it, "too many fragments: datagram discarded");
    return std::nullopt;
  }

  if (end > p.payload.size()) {
    const std::size_t before = p.payload.capacity();
    if (bytes_held_ - before + end > config_.max_bytes) {
      discard(it, "reassembly memory limit reached: datagram discarded");
      return std::nullopt;
    }
    p.payload.reserve(end);  // exactly: what is held is what is counted
    p.payload.resize(end);
    bytes_held_ += p.payload.capacity() - before;
  }
  std::copy(payload.begin(), payload.end(), p.payload.begin() + static_cast<std::ptrdiff_t>(begin));
  if (begin == 0) {
    p.first_fragment.assign(packet.begin(), packet.end());
    p.first_header = header;
  }

  // Insert the run and merge neighbours.
  p.runs.emplace_back(begin, end);
  std::sort(p.runs.begin(), p.runs.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& run : p.runs) {
    if (!merged.empty() && merged.back().second == run.first) {
      merged.back().second = run.second;
    } else {
      merged.push_back(run);
    }
  }
  p.runs = std::move(merged);

  if (!complete(p)) return std::nullopt;

  wire::Ipv4Repr whole = *p.first_header;
  whole.more_fragments = false;
  whole.fragment_offset = 0;
  whole.payload_length = static_cast<std::uint16_t>(*p.total_length);
  tracer_.emit(Layer::Ipv4, FragmentsReassembled{whole.source, whole.destination, whole.identification,
                                                 p.fragments, *p.total_length});
  completed_ = std::move(p.payload);
  bytes_held_ -= completed_.capacity();
  pending_.erase(it);
  arm_timer();
  return Datagram{whole, Bytes{completed_}};
}

void Reassembler::arm_timer() {
  if (pending_.empty()) {
    timer_.cancel();
    return;
  }
  const auto earliest = std::min_element(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
    return a.second.deadline < b.second.deadline;
  });
  if (!timer_.armed() || timer_.deadline() != earliest->second.deadline) timer_.arm_at(earliest->second.deadline);
}

void Reassembler::on_timer() {
  const Instant now = loop_.now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    std::vector<std::byte> first = std::move(it->second.first_fragment);
    auto next = std::next(it);
    tracer_.emit(Layer::Ipv4, Dropped{"reassembly timeout: datagram discarded", {}}, Bytes{first});
    bytes_held_ -= it->second.payload.capacity();
    pending_.erase(it);
    it = next;
    // RFC 792/1122: time exceeded (code 1) only if fragment zero arrived.
    if (!first.empty()) on_timeout_(Bytes{first});
  }
  arm_timer();
}

}  // namespace netstep
