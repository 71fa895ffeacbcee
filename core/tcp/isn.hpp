#pragma once
// Initial sequence numbers per RFC 6528 section 3:
//
//   ISN = M + F(local address, local port, remote address, remote port, key)
//
// M is a clock that ticks every 4 microseconds (250,000 per second, one full
// turn of the 32-bit space in about 4.77 hours), so successive incarnations
// of the same connection get increasing ISNs and old duplicates from an
// earlier one fall outside the new window (RFC 9293 section 3.4.1). F is a
// keyed pseudo-random function of the connection's identity, here SipHash-2-4
// truncated to 32 bits, so an off-path attacker who does not know the key
// cannot predict the ISN of someone else's connection (the point of RFC 6528).
//
// Deterministic by construction: the key is drawn once from the run's seeded
// Random, and M comes from the scenario clock passed in; the same seed and
// scenario give the same ISNs.
#include <cstdint>

#include "base/four_tuple.hpp"
#include "base/random.hpp"
#include "base/seq_num.hpp"
#include "base/time.hpp"
#include "tcp/last_sip_hash.hpp"
#include "tcp/siphash.hpp"

namespace netstep::tcp {

class IsnGenerator {
 public:
  // Draws the 128-bit secret key (two words) from random, once.
  explicit IsnGenerator(Random& random);
  // A fixed key, for tests and for replaying a recorded run.
  explicit IsnGenerator(SipKey key) : key_{key} {}

  // The ISN for a new connection on this tuple at scenario time now.
  [[nodiscard]] SeqNum next(const FourTuple& tuple, Instant now) const;

  // The two terms, for the trace and the debugger ("ISN = M + F").
  // M: now in 4-microsecond ticks, modulo 2^32.
  [[nodiscard]] static std::uint32_t clock_term(Instant now);
  // F: the low 32 bits of SipHash-2-4 over the 12 bytes local address, local
  // port, remote address, remote port, each in network byte order.
  [[nodiscard]] std::uint32_t hash_term(const FourTuple& tuple) const;

  // RFC 7323 5.4: the offset added to a connection's timestamp clock. One
  // per address pair, not per four-tuple, so successive connections between
  // two hosts see one increasing clock (PAWS and TIME-WAIT reuse need that);
  // SipHash over the 8 bytes of the two addresses (a different length from
  // hash_term's message, so the two never collide by construction).
  [[nodiscard]] std::uint32_t timestamp_offset(Ipv4Address local, Ipv4Address remote) const;

  [[nodiscard]] SipKey key() const { return key_; }

 private:
  SipKey key_;
  mutable LastSipHash<8> last_timestamp_offset_;  // a cache: the same pair of addresses, connection after connection
};

}  // namespace netstep::tcp
