#pragma once
// The TCP state diagram of RFC 9293 (section 3.3.2, figure 5) as data, and
// where one connection is on it: the current state lit, the transition that
// led there with the cause the trace gave, and every edge it has taken.
// Transitions the figure does not draw (a reset in SYN-SENT, a timeout, a
// reset in ESTABLISHED: RFC 9293 3.10.7) are reported as such, so a front
// end can draw them apart and say the figure leaves them out.
#include <span>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "views/state_timeline.hpp"

namespace netstep::views {

// A box of the figure, on a grid of three columns and seven rows laid out as
// the RFC draws it: CLOSED at the top, and again at the bottom right where
// TIME-WAIT and LAST-ACK end.
struct DiagramState {
  std::string_view id;    // unique: "CLOSED" and "CLOSED (end)" are the two CLOSED boxes
  std::string_view name;  // RFC 9293 spelling: "SYN-SENT"
  int column = 0;         // 0 left, 1 middle, 2 right
  int row = 0;            // 0 top
};

// An arrow of the figure, labelled as the RFC labels it: the event above
// the line, the action below. `from` and `to` are box ids.
struct DiagramEdge {
  std::string_view from;
  std::string_view to;
  std::string_view event;   // "rcv SYN,ACK"
  std::string_view action;  // "snd ACK" (empty when the figure shows none)
};

[[nodiscard]] std::span<const DiagramState> rfc9293_states();
[[nodiscard]] std::span<const DiagramEdge> rfc9293_edges();
// The figure's edge from state `from` to state `to` (names), or nullptr
// when the figure draws none.
[[nodiscard]] const DiagramEdge* find_edge(std::string_view from, std::string_view to);
// The box with this id; nullptr if none.
[[nodiscard]] const DiagramState* find_box(std::string_view id);

class StateDiagram {
 public:
  struct Step {
    std::string from;
    std::string to;
    std::string cause;  // the trace's: "rcv SYN,ACK / snd ACK"
    std::string rfc;    // "RFC 9293 3.10.7.3"
    std::uint64_t event = 0;
    // The figure's arrow for it; nullptr when the figure draws none for this
    // kind of event (an arrow between the same boxes for the application's
    // CLOSE does not stand for a reset or a timer).
    const DiagramEdge* edge = nullptr;
  };

  // Where the connection `key` is after the timeline's entries. With no key,
  // the timeline's first connection; nothing if it has none.
  void select(const StateTimeline& timeline, const std::optional<ConnectionKey>& key = std::nullopt);

  [[nodiscard]] const std::optional<ConnectionKey>& connection() const { return connection_; }
  // The lit state: CLOSED before anything happened.
  [[nodiscard]] const std::string& current() const { return current_; }
  // The lit box's id: where the last arrow of the figure led, else the
  // first box of the current state.
  [[nodiscard]] std::string_view current_box() const;
  [[nodiscard]] const std::optional<Step>& last() const { return last_; }
  // Every transition so far, in order.
  [[nodiscard]] const std::vector<Step>& path() const { return path_; }

  //   client 10.0.0.1:42251 > 10.0.0.2:80: now ESTABLISHED
  //   last: SYN-SENT -> ESTABLISHED  rcv SYN,ACK / snd ACK  (figure: rcv SYN,ACK / snd ACK; RFC 9293 3.10.7.3)  #14
  //   path: CLOSED -> SYN-SENT -> ESTABLISHED
  [[nodiscard]] std::string text() const;

 private:
  std::optional<ConnectionKey> connection_;
  std::string current_ = "CLOSED";
  std::optional<Step> last_;
  std::vector<Step> path_;
};

}  // namespace netstep::views
