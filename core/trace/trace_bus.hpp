#pragma once
// The trace bus: layers emit, sinks receive. With no sink attached,
// active() is false and emit() returns at once: no event is assembled and
// no sink is called. (Payloads are small plain values, so the caller's cost
// of making one is a few stores.)
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time.hpp"
#include "trace/trace_event.hpp"

namespace netstep {

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void receive(const TraceEvent& event) = 0;
};

class TraceBus {
 public:
  explicit TraceBus(const Clock& clock) : clock_{&clock} {}
  TraceBus(const TraceBus&) = delete;
  TraceBus& operator=(const TraceBus&) = delete;

  void attach(TraceSink& sink);
  void detach(TraceSink& sink);
  [[nodiscard]] bool active() const { return !sinks_.empty(); }
  [[nodiscard]] std::uint64_t events_emitted() const { return next_sequence_; }

  void emit(std::string_view host, Layer layer, TracePayload payload, Bytes frame = {});

 private:
  const Clock* clock_;
  std::vector<TraceSink*> sinks_;
  std::uint64_t next_sequence_ = 0;
};

// What a layer holds: the bus plus the name of the host it belongs to.
class Tracer {
 public:
  Tracer() = default;
  Tracer(TraceBus& bus, std::string_view host) : bus_{&bus}, host_{host} {}

  [[nodiscard]] bool active() const { return bus_ != nullptr && bus_->active(); }
  [[nodiscard]] std::string_view host() const { return host_; }
  // The sequence number the next event will carry (only meaningful while
  // active()): lets a layer remember which event it is about to emit.
  [[nodiscard]] std::uint64_t next_sequence() const { return bus_ != nullptr ? bus_->events_emitted() : 0; }

  template <class Payload>
  void emit(Layer layer, Payload&& payload, Bytes frame = {}) const {
    if (active()) bus_->emit(host_, layer, TracePayload{std::forward<Payload>(payload)}, frame);
  }

 private:
  TraceBus* bus_ = nullptr;
  std::string_view host_;
};

}  // namespace netstep
