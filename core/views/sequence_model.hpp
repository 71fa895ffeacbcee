#pragma once
// The sequence diagram as data, for a front end to draw: lifelines (hosts),
// one arrow per frame (sender, the hosts that took it, its label, TCP
// numbers absolute and relative, delivered or dropped and why), TCP states
// and socket calls beside the lifelines, and which row the last event
// touched (the debugger's current step). Arrow labels are the ones the
// terminal diagram draws (sinks/frame_label). Text rendering, one row a
// line, is for tests and the CLI.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "sinks/frame_label.hpp"
#include "trace/trace_event.hpp"

namespace netstep::views {

struct TcpNumbers {
  std::uint8_t flags = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t relative_seq = 0;
  std::uint32_t relative_ack = 0;
  std::size_t length = 0;
  std::uint32_t window = 0;
};

struct Arrow {
  std::string from;              // the host that sent it; empty: it appeared on the wire (a rule's answer)
  std::vector<std::string> to;   // the hosts that took it
  std::string label;             // "SYN seq=0 win=65535 mss=1460 isn=1411452506"
  std::optional<TcpNumbers> tcp;  // from the sender's tcp_segment event, when it traced one
  bool dropped = false;          // a copy was thrown away (by a cable, a switch, a host)
  std::string dropped_by;
  std::string drop_reason;
  std::vector<std::byte> frame;
  [[nodiscard]] bool delivered() const { return !to.empty(); }
};

struct DiagramRow {
  enum class Kind { Frame, State, Call };
  Kind kind = Kind::Frame;
  std::uint64_t event = 0;  // the trace event that made the row
  Instant time;
  std::string host;  // the lifeline it stands beside (a frame's sender)
  std::string text;  // a state "[SYN-SENT]", a call "connect(fd 3) = 0"
  std::optional<std::size_t> arrow;  // Kind::Frame: index into arrows()
};

class SequenceModel {
 public:
  // `lifelines` left to right; empty: every host in the order the trace names it.
  explicit SequenceModel(std::vector<std::string> lifelines = {});

  void apply(const TraceEvent& event);
  void reset();

  [[nodiscard]] const std::vector<std::string>& lifelines() const { return lifelines_; }
  [[nodiscard]] const std::vector<Arrow>& arrows() const { return arrows_; }
  [[nodiscard]] const std::vector<DiagramRow>& rows() const { return rows_; }
  // The row the last event applied made or changed, if any.
  [[nodiscard]] std::optional<std::size_t> current_row() const { return current_; }
  //   lifelines: client server router remote
  //     #12  0.000200  client -> server  SYN seq=0 ... isn=1411452506  delivered
  //   > #15  0.000300  server  [SYN-RECEIVED]
  [[nodiscard]] std::string text() const;

 private:
  void learn(std::string_view host);
  void frame_sent(const TraceEvent& event);
  void frame_received(const TraceEvent& event);
  void dropped(const TraceEvent& event, const Dropped& drop);
  [[nodiscard]] std::optional<std::size_t> recent_arrow(Bytes frame, std::string_view not_from) const;
  void add_row(const TraceEvent& event, DiagramRow::Kind kind, std::string text, std::optional<std::size_t> arrow);

  std::vector<std::string> given_;
  std::vector<std::string> lifelines_;
  std::vector<Arrow> arrows_;
  std::vector<DiagramRow> rows_;
  std::map<std::size_t, std::size_t> row_of_arrow_;
  std::optional<std::size_t> current_;
  diagram::SequenceNumbers numbers_;
  std::map<std::string, std::deque<TcpNumbers>, std::less<>> segments_sent_;  // by host: traced, frame not yet sent
};

}  // namespace netstep::views
