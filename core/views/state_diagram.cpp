#include "views/state_diagram.hpp"

#include <array>
#include <cstdint>

namespace netstep::views {

namespace {

constexpr std::array<DiagramState, 12> states{{
    {"CLOSED", "CLOSED", 1, 0},
    {"LISTEN", "LISTEN", 1, 1},
    {"SYN-RECEIVED", "SYN-RECEIVED", 0, 2},
    {"SYN-SENT", "SYN-SENT", 2, 2},
    {"ESTABLISHED", "ESTABLISHED", 1, 3},
    {"FIN-WAIT-1", "FIN-WAIT-1", 0, 4},
    {"CLOSE-WAIT", "CLOSE-WAIT", 2, 4},
    {"FIN-WAIT-2", "FIN-WAIT-2", 0, 5},
    {"CLOSING", "CLOSING", 1, 5},
    {"LAST-ACK", "LAST-ACK", 2, 5},
    {"TIME-WAIT", "TIME-WAIT", 1, 6},
    {"CLOSED (end)", "CLOSED", 2, 6},
}};

// Figure 5 of RFC 9293, arrow by arrow.
constexpr std::array<DiagramEdge, 20> edges{{
    {"CLOSED", "LISTEN", "passive OPEN", "create TCB"},
    {"LISTEN", "CLOSED", "CLOSE", "delete TCB"},
    {"CLOSED", "SYN-SENT", "active OPEN", "create TCB, snd SYN"},
    {"LISTEN", "SYN-RECEIVED", "rcv SYN", "snd SYN,ACK"},
    {"LISTEN", "SYN-SENT", "SEND", "snd SYN"},
    {"SYN-SENT", "SYN-RECEIVED", "rcv SYN", "snd SYN,ACK"},
    {"SYN-SENT", "CLOSED", "CLOSE", "delete TCB"},
    {"SYN-RECEIVED", "LISTEN", "rcv RST", ""},
    {"SYN-RECEIVED", "ESTABLISHED", "rcv ACK of SYN", ""},
    {"SYN-SENT", "ESTABLISHED", "rcv SYN,ACK", "snd ACK"},
    {"SYN-RECEIVED", "FIN-WAIT-1", "CLOSE", "snd FIN"},
    {"ESTABLISHED", "FIN-WAIT-1", "CLOSE", "snd FIN"},
    {"ESTABLISHED", "CLOSE-WAIT", "rcv FIN", "snd ACK"},
    {"FIN-WAIT-1", "FIN-WAIT-2", "rcv ACK of FIN", ""},
    {"FIN-WAIT-1", "CLOSING", "rcv FIN", "snd ACK"},
    {"CLOSE-WAIT", "LAST-ACK", "CLOSE", "snd FIN"},
    {"FIN-WAIT-2", "TIME-WAIT", "rcv FIN", "snd ACK"},
    {"CLOSING", "TIME-WAIT", "rcv ACK of FIN", ""},
    {"LAST-ACK", "CLOSED (end)", "rcv ACK of FIN", ""},
    {"TIME-WAIT", "CLOSED (end)", "Timeout=2MSL", "delete TCB"},
}};

// What kind of event moved a connection: the figure draws an arrow for one
// kind only (SYN-SENT -> CLOSED is the application's CLOSE there; a reset,
// an ICMP error or a timer ending the attempt is not drawn).
enum class Family : std::uint8_t { Reset, Timer, Icmp, Other };

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

Family family_of_cause(std::string_view cause) {
  if (cause.starts_with("rcv RST") || contains(cause, "snd RST")) return Family::Reset;
  if (contains(cause, "ICMP")) return Family::Icmp;
  for (std::string_view word : {"timer", "elapsed", "unanswered", "exhausted", "gave up"}) {
    if (contains(cause, word)) return Family::Timer;
  }
  return Family::Other;
}

Family family_of_edge(const DiagramEdge& e) {
  if (e.event == "rcv RST") return Family::Reset;
  if (e.event.starts_with("Timeout")) return Family::Timer;
  return Family::Other;
}

std::string label(const DiagramEdge& e) {
  return std::string{e.event} + (e.action.empty() ? "" : " / " + std::string{e.action});
}

}  // namespace

std::span<const DiagramState> rfc9293_states() { return states; }
std::span<const DiagramEdge> rfc9293_edges() { return edges; }

const DiagramState* find_box(std::string_view id) {
  for (const DiagramState& s : states) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const DiagramEdge* find_edge(std::string_view from, std::string_view to) {
  for (const DiagramEdge& e : edges) {
    if (find_box(e.from)->name == from && find_box(e.to)->name == to) return &e;
  }
  return nullptr;
}

std::string_view StateDiagram::current_box() const {
  if (last_ && last_->edge != nullptr) return last_->edge->to;
  for (const DiagramState& s : states) {
    if (s.name == current_) return s.id;
  }
  return states.front().id;
}

void StateDiagram::select(const StateTimeline& timeline, const std::optional<ConnectionKey>& key) {
  connection_.reset();
  current_ = "CLOSED";
  last_.reset();
  path_.clear();
  const auto& all = timeline.timelines();
  const auto found = key ? all.find(*key) : all.begin();
  if (found == all.end()) return;
  connection_ = found->first;
  for (const StateTimeline::Entry& entry : found->second) {
    Step step;
    step.from = entry.from;
    step.to = entry.state;
    step.cause = entry.cause;
    step.rfc = entry.rfc;
    step.event = entry.event;
    // A listener's connection is a new TCB made for the SYN (as Linux makes a
    // request sock), so the trace has it leave CLOSED: the figure's arrow
    // is the one out of LISTEN.
    const bool from_listener = entry.from == "CLOSED" && entry.state == "SYN-RECEIVED";
    const DiagramEdge* edge = find_edge(from_listener ? "LISTEN" : entry.from, entry.state);
    step.edge = edge != nullptr && family_of_edge(*edge) == family_of_cause(entry.cause) ? edge : nullptr;
    path_.push_back(std::move(step));
  }
  if (!path_.empty()) {
    last_ = path_.back();
    current_ = path_.back().to;
  }
}

std::string StateDiagram::text() const {
  if (!connection_) return "no TCP connection yet\n";
  std::string out = connection_->text() + ": now " + current_ + "\n";
  if (last_) {
    out += "last: " + last_->from + " -> " + last_->to + "  " + last_->cause + "  (" +
           (last_->edge != nullptr ? "figure: " + label(*last_->edge) : std::string{"not drawn in the figure"}) +
           (last_->rfc.empty() ? "" : "; " + last_->rfc) + ")  #" + std::to_string(last_->event) + "\n";
  }
  out += "path: " + (path_.empty() ? current_ : path_.front().from);
  for (const Step& s : path_) out += " -> " + s.to;
  return out + "\n";
}

}  // namespace netstep::views
