#include "sim/link.hpp"

#include <algorithm>
#include <stdexcept>

namespace netstep::sim {

namespace {
constexpr Direction direction_from(Side side) { return side == Side::A ? Direction::AtoB : Direction::BtoA; }
constexpr Direction reverse(Direction d) { return d == Direction::AtoB ? Direction::BtoA : Direction::AtoB; }

// How long the first bit to the last takes at this rate (frame bytes only).
Duration serialisation_time(std::size_t bytes, std::uint64_t bits_per_second) {
  if (bits_per_second == 0) return Duration::zero();
  const std::uint64_t bits = std::uint64_t{bytes} * 8;
  const std::uint64_t ns = (bits * 1'000'000'000ull + bits_per_second - 1) / bits_per_second;  // round up
  return Duration{static_cast<Duration::rep>(ns)};
}
}  // namespace

Link::Link(EventLoop& loop, TraceBus& bus, std::string name, LinkEndpoint& a, LinkEndpoint& b,
           const LinkConfig& config, Random a_to_b, Random b_to_a)
    : loop_{&loop},
      bus_{&bus},
      name_{std::move(name)},
      a_{&a},
      b_{&b},
      bits_per_second_{config.bits_per_second},
      directions_{DirectionState{config.a_to_b, a_to_b, {}, {}, a.label() + " -> " + b.label(), {}, {}},
                  DirectionState{config.b_to_a, b_to_a, {}, {}, b.label() + " -> " + a.label(), {}, {}}},
      pool_{std::max(a.max_frame_length(), b.max_frame_length())} {
  config.validate();
  if (&a == &b) throw std::invalid_argument("link " + name_ + ": cannot connect " + a.label() + " to itself");
  for (LinkEndpoint* end : {&a, &b}) {
    if (end->plugged()) {
      throw std::invalid_argument("link " + name_ + ": " + end->label() + " already has a cable (" +
                                  end->link()->name() + ")");
    }
  }
  a.link_ = this;
  a.side_ = Side::A;
  b.link_ = this;
  b.side_ = Side::B;
}

Link::~Link() {
  for (const InFlight& f : in_flight_) loop_->cancel(f.event);
  a_->link_ = nullptr;
  b_->link_ = nullptr;
}

void Link::set_impairments(Direction direction, const Impairments& impairments) {
  impairments.validate();
  state(direction).impairments = impairments;
}

void Link::send_from(Side side, Bytes frame) {
  const Direction direction = direction_from(side);
  DirectionState& s = state(direction);
  ++s.counters.sent;
  if (frame.size() > pool_.buffer_size()) {
    ++s.counters.dropped_oversize;
    tracer().emit(Layer::Driver, Dropped{"frame larger than the link MTU", s.label}, frame);
    return;
  }
  if (!s.rules.empty()) {
    const RuleSet::Verdict verdict = s.rules.apply(frame);
    if (verdict.action != nullptr) {
      ++s.counters.dropped_by_rule;
      tracer().emit(Layer::Driver, Dropped{verdict.reason, s.label}, frame);
      // The answer goes back the other way as an ordinary frame on the
      // cable, but past the other direction's rules: it is the rule's own.
      const std::size_t length = build_reply(*verdict.action, frame, reply_);
      if (length > 0 && length <= pool_.buffer_size()) {
        ++s.counters.replies_sent;
        ++state(reverse(direction)).counters.sent;
        send_on_wire(reverse(direction), Bytes{reply_}.first(length));
      }
      return;
    }
  }
  send_on_wire(direction, frame);
}

void Link::send_on_wire(Direction direction, Bytes frame) {
  DirectionState& s = state(direction);
  // The cable is busy with one frame at a time; a lost frame was still sent.
  const Instant start = std::max(loop_->now(), s.busy_until);
  s.busy_until = start + serialisation_time(frame.size(), bits_per_second_);

  // Draws happen in a fixed order and only for impairments that are on, so
  // a run depends on the seed and the configuration alone.
  const Impairments& imp = s.impairments;
  if (s.random.chance(imp.loss)) {
    ++s.counters.dropped_by_loss;
    tracer().emit(Layer::Driver, Dropped{"impairment: loss", s.label}, frame);
    return;
  }
  const bool duplicate = s.random.chance(imp.duplicate);
  schedule_copy(direction, frame, s.busy_until);
  if (duplicate) {
    ++s.counters.duplicated;
    tracer().emit(Layer::Driver, WireImpairment{"duplicated", s.label, 0}, frame);
    schedule_copy(direction, frame, s.busy_until);
  }
}

void Link::schedule_copy(Direction direction, Bytes frame, Instant departure) {
  DirectionState& s = state(direction);
  const Impairments& imp = s.impairments;
  const FramePool::Index index = pool_.acquire(frame);

  if (!frame.empty() && s.random.chance(imp.corrupt)) {
    const auto bit = static_cast<std::size_t>(s.random.below(frame.size() * 8));
    const MutableBytes bytes = pool_.mutable_frame(index);
    bytes[bit / 8] ^= std::byte{static_cast<std::uint8_t>(0x80u >> (bit % 8))};
    ++s.counters.corrupted;
    tracer().emit(Layer::Driver, WireImpairment{"corrupted", s.label, bit}, pool_.frame(index));
  }

  Instant arrival = departure + imp.delay + s.random.jitter(imp.jitter);
  if (s.random.chance(imp.reorder)) {
    // Held back without moving the FIFO clamp, so later frames overtake it.
    arrival += imp.reorder_delay;
    ++s.counters.reordered;
    tracer().emit(Layer::Driver, WireImpairment{"reordered", s.label, 0}, frame);
  } else {
    arrival = std::max(arrival, s.last_arrival);
    s.last_arrival = arrival;
  }

  if (in_flight_.size() < pool_.capacity()) in_flight_.resize(pool_.capacity());
  in_flight_[index] = InFlight{loop_->post_at(arrival, [this, index] { receive_at_far_end(index); }), direction};
  ++s.counters.in_flight;
}

void Link::receive_at_far_end(FramePool::Index index) {
  const Direction direction = in_flight_[index].direction;
  in_flight_[index].event = {};
  DirectionState& s = state(direction);
  --s.counters.in_flight;
  ++s.counters.delivered;
  // The buffer stays ours until the endpoint returns, even if it answers at
  // once and so puts new frames on this same link.
  endpoint(direction == Direction::AtoB ? Side::B : Side::A).receive_from_link(pool_.frame(index));
  pool_.release(index);
}

}  // namespace netstep::sim
