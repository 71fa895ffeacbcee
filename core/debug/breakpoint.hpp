#pragma once
// Where `continue` stops: a predicate on one trace event. Breakpoints read
// the trace only, never a layer's internals, so they mean the same thing on
// a live stack and on a replayed one.
#include <memory>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "trace/trace_event.hpp"

namespace netstep::debug {

class Breakpoint {
 public:
  virtual ~Breakpoint() = default;
  [[nodiscard]] virtual bool matches(const TraceEvent& event) const = 0;
  // "state SYN-SENT on client", for listings and stop reports.
  [[nodiscard]] virtual std::string describe() const = 0;
};

// A TCP connection changing state: to `state` if given (RFC 9293 spelling,
// "SYN-SENT"), else any change; on `host` if given.
class TcpStateBreakpoint final : public Breakpoint {
 public:
  TcpStateBreakpoint(std::optional<std::string> state, std::optional<std::string> host)
      : state_{std::move(state)}, host_{std::move(host)} {}
  [[nodiscard]] bool matches(const TraceEvent& event) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  std::optional<std::string> state_;
  std::optional<std::string> host_;
};

// A socket call returning an error, named as the personality spells it
// ("ECONNREFUSED", "WSAECONNREFUSED") or by number ("111"): a whole word
// of the call's result text. A POSIX name also stops on the other
// spellings of that error (WSAECONNREFUSED, -pdFREERTOS_ERRNO_ECONNREFUSED).
class SocketReturnBreakpoint final : public Breakpoint {
 public:
  explicit SocketReturnBreakpoint(std::string error) : error_{std::move(error)} {}
  [[nodiscard]] bool matches(const TraceEvent& event) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  std::string error_;
};

// A timer firing whose name contains `name` ("retransmission", "time-wait";
// case does not matter); any timer if empty.
class TimerBreakpoint final : public Breakpoint {
 public:
  explicit TimerBreakpoint(std::string name) : name_{std::move(name)} {}
  [[nodiscard]] bool matches(const TraceEvent& event) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  std::string name_;
};

// A test on a frame's bytes (from its Ethernet header). A BPF filter
// compiled by libpcap implements it outside core.
class FramePredicate {
 public:
  virtual ~FramePredicate() = default;
  [[nodiscard]] virtual bool matches(Bytes frame) const = 0;
  [[nodiscard]] virtual std::string describe() const = 0;
};

// A host putting a frame the predicate accepts on the wire (frame_sent):
// once per hop, not again when it is received.
class FrameBreakpoint final : public Breakpoint {
 public:
  explicit FrameBreakpoint(std::shared_ptr<const FramePredicate> predicate) : predicate_{std::move(predicate)} {}
  [[nodiscard]] bool matches(const TraceEvent& event) const override;
  [[nodiscard]] std::string describe() const override;

 private:
  std::shared_ptr<const FramePredicate> predicate_;
};

}  // namespace netstep::debug
