#pragma once
// IPv4 fragment reassembly (RFC 791 section 3.2, RFC 815's hole idea, and
// the limits every real stack needs: RFC 1122 section 3.3.2).
//
// Datagrams are keyed by (source, destination, protocol, identification).
// Limits: a timeout per datagram (Linux ipfrag_time, 30 s), a cap on
// datagrams and bytes held at once (oldest evicted first), and no overlap:
// a fragment that lies wholly inside data already held is dropped alone as a
// repeat (its bytes are never used), and one that partly overlaps discards the
// whole datagram, as Linux has done since 2018 (the "FragmentSmack" fix), so
// no overlap trick can rewrite a header.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "base/bytes.hpp"
#include "base/inplace_function.hpp"
#include "event/event_loop.hpp"
#include "event/timer.hpp"
#include "trace/trace_bus.hpp"
#include "wire/ipv4.hpp"

namespace netstep {

struct ReassemblyConfig {
  Duration timeout = 30s;                   // ipfrag_time
  std::size_t max_datagrams = 64;           // held at once
  std::size_t max_bytes = 4 * 1024 * 1024;  // ipfrag_high_thresh
  std::size_t max_fragments = 64;           // per datagram

  void validate() const {
    if (timeout <= Duration::zero()) throw std::invalid_argument("reassembly: timeout must be positive");
    if (max_datagrams < 1) throw std::invalid_argument("reassembly: max_datagrams must be at least 1");
    if (max_bytes < 65535) throw std::invalid_argument("reassembly: max_bytes must hold one 65535-byte datagram");
    if (max_fragments < 2) throw std::invalid_argument("reassembly: max_fragments must be at least 2");
  }
};

class Reassembler {
 public:
  // Called when a datagram times out after its first fragment arrived, with
  // that first fragment (header + payload), so the caller can send ICMP time
  // exceeded, code 1 (RFC 792).
  using TimeoutHandler = InplaceFunction<void(Bytes first_fragment), 16>;

  struct Datagram {
    wire::Ipv4Repr header;  // the first fragment's header, now unfragmented
    Bytes payload;          // valid until the next call to receive()
  };

  Reassembler(EventLoop& loop, Tracer tracer, ReassemblyConfig config, TimeoutHandler on_timeout);

  // One fragment in; the whole datagram out when this was the last piece.
  // `packet` is the fragment's full IPv4 packet (trimmed to total length).
  std::optional<Datagram> receive(const wire::Ipv4Repr& header, Bytes packet);

  [[nodiscard]] std::size_t datagrams_held() const { return pending_.size(); }
  [[nodiscard]] std::size_t bytes_held() const { return bytes_held_; }

 private:
  using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint8_t, std::uint16_t>;
  struct Pending {
    std::uint64_t created_order = 0;
    Instant deadline{};
    std::vector<std::byte> payload;
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // received [begin, end), sorted
    std::optional<std::size_t> total_length;                // known once the last fragment arrives
    std::vector<std::byte> first_fragment;                  // for the ICMP error on timeout
    std::optional<wire::Ipv4Repr> first_header;
    std::size_t fragments = 0;
  };

  void discard(std::map<Key, Pending>::iterator it, std::string_view reason);
  void evict_for(std::size_t incoming_bytes);
  void on_timer();
  void arm_timer();
  [[nodiscard]] static bool complete(const Pending& p);

  EventLoop& loop_;
  Tracer tracer_;
  ReassemblyConfig config_;
  TimeoutHandler on_timeout_;
  Timer timer_;  // one timer for the earliest deadline of all datagrams
  std::map<Key, Pending> pending_;
  std::size_t bytes_held_ = 0;
  std::uint64_t next_order_ = 0;
  std::vector<std::byte> completed_;
};

}  // namespace netstep
