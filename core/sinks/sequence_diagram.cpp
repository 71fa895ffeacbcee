#include "sinks/sequence_diagram.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <type_traits>

#include "sinks/narrative_sink.hpp"

namespace netstep {

using diagram::CanvasRow;
using diagram::Glyph;
using diagram::Ink;
using diagram::Journey;

namespace {

constexpr std::size_t max_recent = 32;
constexpr std::string_view not_for_us = "not addressed to this interface";  // a switch's flooded copy

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

void append(std::vector<Glyph>& text, std::string_view more, Ink ink = Ink::Plain) {
  const std::vector<Glyph> g = diagram::glyphs(more, ink);
  text.insert(text.end(), g.begin(), g.end());
}

// A successful call returns a number ("0", "3"); a failure names its error.
bool failed(std::string_view result) {
  return std::any_of(result.begin(), result.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

// A wire impairment flips one bit of a frame in flight.
bool one_bit_apart(Bytes a, Bytes b) {
  if (a.size() != b.size()) return false;
  int bits = 0;
  for (std::size_t i = 0; i < a.size() && bits <= 1; ++i) {
    bits += std::popcount(static_cast<unsigned>(std::to_integer<std::uint8_t>(a[i] ^ b[i])));
  }
  return bits == 1;
}

bool took(const Journey& j, std::optional<std::size_t> lifeline, std::string_view host) {
  if (lifeline) return std::find(j.receivers.begin(), j.receivers.end(), *lifeline) != j.receivers.end();
  return j.offstage_receiver == host;
}

}  // namespace

SequenceDiagramSink::SequenceDiagramSink(std::ostream& out, std::vector<std::string> hosts,
                                         SequenceDiagramOptions options)
    : out_{out},
      options_{options},
      directory_{hosts},
      rows_{diagram::DiagramLayout{options.width, hosts},
            options.unicode ? diagram::unicode_glyphs() : diagram::ascii_glyphs(), hosts} {}

void SequenceDiagramSink::receive(const TraceEvent& event) {
  complete_arrived(event.time);
  const auto lifeline = directory_.lifeline(event.host);
  std::visit(
      Overloaded{
          [&](const FrameSent&) { frame_sent(event); },
          [&](const FrameReceived&) { frame_received(event); },
          [&](const Dropped& e) { dropped(event, e.reason, e.interface); },
          [&](const TcpSegment& e) {
            numbers_.learn(e);
            if (lifeline) directory_.learn(*lifeline, e.local.address);
          },
          [&](const TcpStateChanged& e) { state_changed(event, e); },
          [&](const SocketCall& e) { socket_call(event, e); },
          [&](const NeighbourStateChanged& e) {
            if (e.to == "FAILED" || full()) note(event, "ARP " + narrate(event, NarrativeOptions::Detail::Full));
          },
          [&](const TimerFired& e) {
            // A retransmission is the timer a student watches; the others show in Full.
            const bool retransmission = event.layer == Layer::Tcp && e.name.find("retransmission") != e.name.npos;
            if (retransmission || full()) note(event, narrate(event, NarrativeOptions::Detail::Full));
          },
          [&](const WireImpairment& e) {
            if (e.what == "corrupted") corrupted(event.frame);
            add(event.time, rows_.aside(diagram::glyphs(narrate(event, NarrativeOptions::Detail::Full))));
          },
          [&](const PingSent&) {
            if (full()) note(event, narrate(event, NarrativeOptions::Detail::Full));
          },
          [&](const auto& e) {
            using Payload = std::remove_cvref_t<decltype(e)>;
            if constexpr (std::is_same_v<Payload, IcmpErrorDelivered> || std::is_same_v<Payload, PingReply> ||
                          std::is_same_v<Payload, PingError> || std::is_same_v<Payload, FragmentsReassembled>) {
              note(event, narrate(event, NarrativeOptions::Detail::Full));
            }
            // Routes, ICMP sent and received, timers armed and cancelled, TCB
            // variables, UDP datagrams: the arrows and the notes already say it.
          },
      },
      event.payload);
  while (waiting_.size() > max_waiting) {
    if (waiting_.front().journey) waiting_.front().journey->complete = true;  // drawn as it stands
    print_ready();
  }
  print_ready();
}

void SequenceDiagramSink::finish() {
  for (Entry& entry : waiting_) {
    if (!entry.journey || entry.journey->complete) continue;
    entry.journey->in_flight_at_end = !entry.journey->arrived();
    entry.journey->complete = true;
  }
  print_ready();
  if (!header_printed_) {
    for (const CanvasRow& row : rows_.header()) out_ << row.render(options_.colour) << '\n';
    header_printed_ = true;
  }
}

// --- frames ---------------------------------------------------------------

void SequenceDiagramSink::frame_sent(const TraceEvent& event) {
  const auto lifeline = directory_.lifeline(event.host);
  Journey j;
  j.frame.assign(event.frame.begin(), event.frame.end());
  j.sender = std::string{event.host};
  j.from = lifeline;
  j.sent_at = event.time;
  j.label = diagram::frame_label(event.frame, numbers_, {options_.absolute_numbers, full()});
  if (const auto a = diagram::frame_addresses(event.frame)) {
    if (lifeline) {
      directory_.learn(*lifeline, a->source_mac);
      if (a->arp_sender) directory_.learn(*lifeline, *a->arp_sender);
    }
    j.to_group = a->to_group;
    if (!a->to_group) j.expected = directory_.owner(a->destination_mac);
    if (!j.expected && a->arp_target) j.expected = directory_.owner(*a->arp_target);
    if (!j.expected && a->ip_destination) j.expected = directory_.owner(*a->ip_destination);
  }
  waiting_.push_back(Entry{event.time, {}, std::move(j)});
}

void SequenceDiagramSink::frame_received(const TraceEvent& event) {
  const auto lifeline = directory_.lifeline(event.host);
  if (Journey* j = waiting_for(event.frame, event.host)) {
    if (lifeline) {
      j->receivers.push_back(*lifeline);
    } else if (j->offstage_receiver.empty()) {
      j->offstage_receiver = std::string{event.host};
    }
    if (!j->first_arrival) {
      j->first_arrival = event.time;
      longest_trip_ = std::max(longest_trip_, event.time - j->sent_at);
    }
    return;
  }
  if (!lifeline) return;
  // The same bytes again, from the same sender: the wire delivered a copy.
  if (const Journey* original = already_taken(event.frame, event.host)) {
    Journey again = *original;
    again.receivers = {*lifeline};
    again.offstage_receiver.clear();
    again.lost = false;
    again.duplicate = true;
    again.complete = true;
    waiting_.push_back(Entry{event.time, {}, std::move(again)});
    return;
  }
  // Bytes no host sent: a cable or switch rule's answer.
  Journey j;
  j.frame.assign(event.frame.begin(), event.frame.end());
  j.label = diagram::frame_label(event.frame, numbers_, {options_.absolute_numbers, full()});
  if (const auto a = diagram::frame_addresses(event.frame)) {
    j.source_guess = directory_.owner(a->source_mac);
    j.to_group = a->to_group;
  }
  j.receivers.push_back(*lifeline);
  j.first_arrival = event.time;
  waiting_.push_back(Entry{event.time, {}, std::move(j)});
}

void SequenceDiagramSink::dropped(const TraceEvent& event, std::string_view reason, std::string_view interface) {
  const auto lifeline = directory_.lifeline(event.host);
  if (event.layer == Layer::Driver && !event.frame.empty()) {
    // A cable, a switch or a card threw a copy of the frame away.
    for (Entry& entry : waiting_) {
      Journey* j = entry.journey ? &*entry.journey : nullptr;
      if (j == nullptr || j->complete || j->arrived() || !j->is(event.frame)) continue;
      if (!j->lost) {
        j->lost = true;
        j->lost_reason = std::string{reason};
        j->lost_by = std::string{event.host};
        if (lifeline != j->from) j->lost_at = lifeline;
      }
      // On the sender's own card or cable it is the only copy; past the
      // switch, a broadcast's (or a flooded frame's) other copies are still
      // on their way, and the longest trip seen so far bounds when.
      const bool first_hop =
          event.host == j->sender || std::string_view{interface}.starts_with(j->sender + ".");
      if (first_hop) {
        j->complete = true;
      } else {
        j->settle_by = event.time + std::max(longest_trip_, Duration{1ms});
      }
      return;
    }
  }
  if (event.layer == Layer::Ethernet && !event.frame.empty()) {
    // A receiver that took the frame refuses it: it did not arrive there.
    for (auto it = waiting_.rbegin(); it != waiting_.rend(); ++it) {
      Journey* j = it->journey ? &*it->journey : nullptr;
      if (j == nullptr || j->complete || !j->is(event.frame) || !took(*j, lifeline, event.host)) continue;
      if (lifeline) {
        std::erase(j->receivers, *lifeline);
      } else {
        j->offstage_receiver.clear();
      }
      if (reason != not_for_us && !j->arrived()) {
        j->lost = true;
        j->lost_reason = std::string{reason};
        j->lost_by = std::string{event.host};
        j->lost_at = lifeline;
      }
      return;
    }
  }
  if (lifeline) note(event, "dropped: " + std::string{reason}, Ink::Lost);
}

void SequenceDiagramSink::corrupted(Bytes frame) {
  // The copy in flight now carries these bytes: match its arrival by them.
  for (auto it = waiting_.rbegin(); it != waiting_.rend(); ++it) {
    Journey* j = it->journey ? &*it->journey : nullptr;
    if (j == nullptr || j->complete || j->arrived() || !one_bit_apart(Bytes{j->frame}, frame)) continue;
    j->frame.assign(frame.begin(), frame.end());
    j->corrupted = true;
    return;
  }
}

Journey* SequenceDiagramSink::waiting_for(Bytes frame, std::string_view not_from) {
  const auto lifeline = directory_.lifeline(not_from);
  for (Entry& entry : waiting_) {
    Journey* j = entry.journey ? &*entry.journey : nullptr;
    if (j == nullptr || j->complete || j->sender == not_from || !j->is(frame) || took(*j, lifeline, not_from)) {
      continue;
    }
    if (j->sender.empty() && !lifeline) continue;  // bytes nobody sent are drawn only where a lifeline took them
    return j;
  }
  return nullptr;
}

const Journey* SequenceDiagramSink::already_taken(Bytes frame, std::string_view host) const {
  for (auto it = waiting_.rbegin(); it != waiting_.rend(); ++it) {
    if (it->journey && !it->journey->sender.empty() && it->journey->sender != host && it->journey->is(frame)) {
      return &*it->journey;
    }
  }
  for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
    if (!it->sender.empty() && it->sender != host && it->is(frame)) return &*it;
  }
  return nullptr;
}

// --- text beside the lifelines ----------------------------------------------

void SequenceDiagramSink::state_changed(const TraceEvent& event, const TcpStateChanged& change) {
  const auto lifeline = directory_.lifeline(event.host);
  if (!lifeline) return;
  directory_.learn(*lifeline, change.local.address);
  std::vector<Glyph> text = diagram::glyphs("[" + std::string{change.to} + "]", diagram::host_ink(*lifeline));
  if (full()) {
    append(text, " " + change.local.to_string() + " > " + change.remote.to_string() + ": " +
                     std::string{change.from} + " -> " + std::string{change.to} + " (" + std::string{change.cause} +
                     "; " + std::string{change.rfc} + ")");
  }
  add(event.time, rows_.beside(*lifeline, text));
}

void SequenceDiagramSink::socket_call(const TraceEvent& event, const SocketCall& call) {
  const auto lifeline = directory_.lifeline(event.host);
  if (!lifeline) return;
  // socket() is traced with the descriptor it made; every other call names the one it was given.
  const bool names_fd = call.fd >= 0 && call.call != "socket";
  std::vector<Glyph> text =
      diagram::glyphs(std::string{call.call} + "(" + (names_fd ? std::to_string(call.fd) : "") + ") -> ");
  append(text, call.result, failed(call.result) ? Ink::Failure : Ink::Success);
  // "socket(): the lowest unused descriptor" after "socket() -> 3" says the call twice.
  std::string_view rule = call.rule;
  const std::string named = std::string{call.call} + "()";
  if (rule.starts_with(named)) rule.remove_prefix(named.size());
  if (rule.starts_with(": ")) rule.remove_prefix(2);
  if (!rule.empty()) append(text, ": " + std::string{rule});
  add(event.time, rows_.beside(*lifeline, text));
}

void SequenceDiagramSink::note(const TraceEvent& event, std::string_view text, Ink ink) {
  const auto lifeline = directory_.lifeline(event.host);
  if (lifeline && !text.empty()) add(event.time, rows_.beside(*lifeline, diagram::glyphs(text, ink)));
}

// --- the queue ----------------------------------------------------------------

void SequenceDiagramSink::add(Instant time, std::vector<CanvasRow> rows) {
  waiting_.push_back(Entry{time, std::move(rows), std::nullopt});
}

void SequenceDiagramSink::complete_arrived(Instant now) {
  // Every copy of a frame arrives at one instant; once the trace is past it,
  // all its receivers are known. A copy dropped past the first hop waits
  // for the others until its settle time.
  for (Entry& entry : waiting_) {
    Journey* j = entry.journey ? &*entry.journey : nullptr;
    if (j == nullptr || j->complete) continue;
    if ((j->first_arrival && now > *j->first_arrival) || (!j->arrived() && j->settle_by && now > *j->settle_by)) {
      j->complete = true;
    }
  }
}

void SequenceDiagramSink::print_ready() {
  while (!waiting_.empty() && (!waiting_.front().journey || waiting_.front().journey->complete)) {
    Entry& entry = waiting_.front();
    print(entry);
    if (entry.journey) {
      recent_.push_back(std::move(*entry.journey));
      if (recent_.size() > max_recent) recent_.pop_front();
    }
    waiting_.pop_front();
  }
}

void SequenceDiagramSink::print(const Entry& entry) {
  std::vector<CanvasRow> rows = entry.journey ? draw(*entry.journey) : entry.rows;
  if (rows.empty()) return;
  if (!header_printed_) {
    for (const CanvasRow& row : rows_.header()) out_ << row.render(options_.colour) << '\n';
    header_printed_ = true;
  }
  // The time is written when it changes: rows of one instant read as a group.
  if (last_time_printed_ != entry.time) {
    rows_.stamp_time(rows.front(), format_seconds(entry.time.time_since_epoch()));
    last_time_printed_ = entry.time;
  }
  for (const CanvasRow& row : rows) out_ << row.render(options_.colour) << '\n';
}

std::vector<CanvasRow> SequenceDiagramSink::draw(const Journey& journey) const {
  const diagram::JourneyArrows drawn = diagram::arrows_for(journey, rows_.layout());
  if (drawn.arrows.empty()) return {};
  std::string label = journey.label;
  if (!drawn.suffix.empty()) label += " " + drawn.suffix;
  const std::vector<Glyph> text = diagram::glyphs(label, drawn.arrows.front().ink);
  const bool lost = std::any_of(drawn.arrows.begin(), drawn.arrows.end(), [](const auto& a) { return a.lost; });
  const std::vector<Glyph> after = lost ? diagram::glyphs("dropped by " + journey.lost_by + ": " + journey.lost_reason, Ink::Lost)
                                        : std::vector<Glyph>{};
  return rows_.message(drawn.arrows, text, after);
}

}  // namespace netstep
