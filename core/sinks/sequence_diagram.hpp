#pragma once
// The trace as a sequence diagram for the terminal: one lifeline per host,
// an arrow per frame from its sender to the hosts that took it, TCP states
// beside the lifelines, socket calls with their returns and the rule that
// decided them.
//
//     time (s)   client                                            server
//                  |                                                 |
//     0.000000     [SYN-SENT]                                        |
//                  |------ ARP who-has 10.0.0.2 tell 10.0.0.1 ------>|
//     0.000100     |<----- ARP 10.0.0.2 is-at 02:00:00:00:00:02 -----|
//     0.000200     | SYN seq=0 win=65535 mss=1460 isn=1411452506     |
//                  |------------------------------------------------>|
//     0.000300     |                                                 [SYN-RECEIVED]
//
// It streams: rows come out as the run goes. A frame's arrow needs its
// receivers, so a frame waits until the trace has moved past the instant it
// arrived (every copy of a broadcast arrives at that instant), or until its
// sender's cable drops it (a copy dropped further on waits for the others
// as long as the longest trip seen so far). The rows after it wait with
// it, so the diagram stays in trace order. At most `max_waiting` rows
// wait; past that the oldest frame is drawn as it stands. finish() draws
// everything still waiting. docs/cli.md, "Reading the sequence diagram",
// explains the picture for students.
#include <cstddef>
#include <deque>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sinks/diagram_rows.hpp"
#include "sinks/frame_journey.hpp"
#include "sinks/frame_label.hpp"
#include "trace/trace_bus.hpp"

namespace netstep {

struct SequenceDiagramOptions {
  enum class Detail { Brief, Full };
  // Terminal columns; no row is longer. Below DiagramLayout::min_width (60)
  // the diagram is drawn 60 wide.
  std::size_t width = 100;
  bool colour = false;  // ANSI: a colour per host, drops and failed calls red, successful calls green
  // Sequence numbers are relative to each direction's initial sequence
  // number (ISN), as Wireshark shows them, and a SYN's arrow ends with the
  // absolute ISN ("isn=1411452506"). With this on, every number is followed
  // by its absolute value: "seq=1(1411452507)".
  bool absolute_numbers = false;
  bool unicode = false;  // UTF-8 box drawing (│ ─ ▶ ✕ …) instead of ASCII
  // Brief: frames, TCP states, socket calls, drops, ICMP errors handed to
  // their owner, ping results, neighbours FAILED, TCP retransmission timers.
  // Full: also every neighbour state and timer, the cause and RFC section of
  // each TCP state change, all TCP options, IPv4 addresses of other packets.
  Detail detail = Detail::Brief;
};

class SequenceDiagramSink final : public TraceSink {
 public:
  static constexpr std::size_t max_waiting = 512;  // rows held back for a frame's receivers

  // `hosts` are the lifelines, left to right, named as the trace names hosts.
  // Events of other hosts appear only where they touch a lifeline (a frame
  // from or to them comes from or goes to the edge). Throws
  // std::invalid_argument if no host is given or they do not fit the width.
  SequenceDiagramSink(std::ostream& out, std::vector<std::string> hosts, SequenceDiagramOptions options = {});

  void receive(const TraceEvent& event) override;
  // Draws every frame still waiting, as it stands (one that had not arrived
  // yet says "in flight when the trace ended"), and the header if nothing
  // was drawn yet. The sink can go on receiving afterwards.
  void finish();

 private:
  struct Entry {
    Instant time;
    std::vector<diagram::CanvasRow> rows;
    std::optional<diagram::Journey> journey;  // drawn when complete
  };

  void frame_sent(const TraceEvent& event);
  void frame_received(const TraceEvent& event);
  void dropped(const TraceEvent& event, std::string_view reason, std::string_view interface);
  void corrupted(Bytes frame);
  void state_changed(const TraceEvent& event, const TcpStateChanged& change);
  void socket_call(const TraceEvent& event, const SocketCall& call);
  void note(const TraceEvent& event, std::string_view text, diagram::Ink ink = diagram::Ink::Plain);

  diagram::Journey* waiting_for(Bytes frame, std::string_view not_from);
  [[nodiscard]] const diagram::Journey* already_taken(Bytes frame, std::string_view host) const;
  void add(Instant time, std::vector<diagram::CanvasRow> rows);
  void complete_arrived(Instant now);
  void print_ready();
  void print(const Entry& entry);
  [[nodiscard]] std::vector<diagram::CanvasRow> draw(const diagram::Journey& journey) const;
  [[nodiscard]] bool full() const { return options_.detail == SequenceDiagramOptions::Detail::Full; }

  std::ostream& out_;
  SequenceDiagramOptions options_;
  diagram::HostDirectory directory_;
  diagram::DiagramRows rows_;
  diagram::SequenceNumbers numbers_;
  std::deque<Entry> waiting_;
  std::deque<diagram::Journey> recent_;  // drawn lately: a copy the wire duplicates arrives after
  Duration longest_trip_{};  // from sent to arrived, the longest seen
  bool header_printed_ = false;
  std::optional<Instant> last_time_printed_;
};

}  // namespace netstep
