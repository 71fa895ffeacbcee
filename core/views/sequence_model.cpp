#include "views/sequence_model.hpp"

#include <algorithm>
#include <cstring>

namespace netstep::views {

namespace {

constexpr std::size_t look_back = 64;  // arrows searched for a frame's other reports
constexpr std::string_view not_for_us = "not addressed to this interface";  // a switch's flooded copy

unsigned at(Bytes frame, std::size_t i) { return std::to_integer<unsigned>(frame[i]); }

// The sequence number of an Ethernet + IPv4 + TCP frame, to pair it with
// the tcp_segment event its sender traced.
std::optional<std::uint32_t> tcp_seq(Bytes frame) {
  if (frame.size() < 34 || at(frame, 12) != 0x08 || at(frame, 13) != 0x00 || at(frame, 23) != 6) return std::nullopt;
  const std::size_t tcp = 14 + (at(frame, 14) & 0x0fU) * 4;
  if (tcp + 20 > frame.size()) return std::nullopt;
  return (at(frame, tcp + 4) << 24) | (at(frame, tcp + 5) << 16) | (at(frame, tcp + 6) << 8) | at(frame, tcp + 7);
}

bool same(const std::vector<std::byte>& a, Bytes b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

}  // namespace

SequenceModel::SequenceModel(std::vector<std::string> lifelines) : given_{std::move(lifelines)}, lifelines_{given_} {}

void SequenceModel::reset() {
  lifelines_ = given_;
  arrows_.clear();
  rows_.clear();
  row_of_arrow_.clear();
  current_.reset();
  numbers_ = {};
  segments_sent_.clear();
}

void SequenceModel::learn(std::string_view host) {
  if (!given_.empty() || host.empty()) return;
  if (std::find(lifelines_.begin(), lifelines_.end(), host) == lifelines_.end()) lifelines_.emplace_back(host);
}

void SequenceModel::add_row(const TraceEvent& event, DiagramRow::Kind kind, std::string text,
                            std::optional<std::size_t> arrow) {
  DiagramRow row;
  row.kind = kind;
  row.event = event.sequence;
  row.time = event.time;
  row.host = event.host;
  row.text = std::move(text);
  row.arrow = arrow;
  rows_.push_back(std::move(row));
  current_ = rows_.size() - 1;
  if (arrow) row_of_arrow_[*arrow] = rows_.size() - 1;
}

void SequenceModel::apply(const TraceEvent& event) {
  if (const auto* segment = std::get_if<TcpSegment>(&event.payload)) {
    if (segment->direction == "sent") {
      TcpNumbers n;
      n.flags = segment->flags;
      n.seq = segment->seq;
      n.ack = segment->ack;
      n.relative_seq = segment->relative_seq;
      n.relative_ack = segment->relative_ack;
      n.length = segment->length;
      n.window = segment->window;
      auto& queue = segments_sent_[std::string{event.host}];
      queue.push_back(n);
      if (queue.size() > look_back) queue.pop_front();
    }
    numbers_.learn(*segment);
    return;
  }
  if (std::holds_alternative<FrameSent>(event.payload) && !event.frame.empty()) {
    frame_sent(event);
  } else if (std::holds_alternative<FrameReceived>(event.payload) && !event.frame.empty()) {
    frame_received(event);
  } else if (const auto* drop = std::get_if<Dropped>(&event.payload)) {
    if (!event.frame.empty()) dropped(event, *drop);
  } else if (const auto* change = std::get_if<TcpStateChanged>(&event.payload)) {
    learn(event.host);
    add_row(event, DiagramRow::Kind::State, "[" + std::string{change->to} + "]", std::nullopt);
  } else if (const auto* call = std::get_if<SocketCall>(&event.payload)) {
    learn(event.host);
    add_row(event, DiagramRow::Kind::Call,
            std::string{call->call} + "(fd " + std::to_string(call->fd) + ") = " + std::string{call->result},
            std::nullopt);
  }
}

void SequenceModel::frame_sent(const TraceEvent& event) {
  learn(event.host);
  Arrow arrow;
  arrow.from = event.host;
  arrow.frame.assign(event.frame.begin(), event.frame.end());
  diagram::LabelOptions options;
  options.absolute_numbers = false;
  options.full = false;
  arrow.label = diagram::frame_label(event.frame, numbers_, options);
  if (const std::optional<std::uint32_t> seq = tcp_seq(event.frame)) {
    const auto pending = segments_sent_.find(event.host);
    if (pending != segments_sent_.end()) {
      auto& queue = pending->second;
      const auto it = std::find_if(queue.begin(), queue.end(), [&](const TcpNumbers& n) { return n.seq == *seq; });
      if (it != queue.end()) {
        arrow.tcp = *it;
        queue.erase(it);
      }
    }
  }
  arrows_.push_back(std::move(arrow));
  add_row(event, DiagramRow::Kind::Frame, {}, arrows_.size() - 1);
}

std::optional<std::size_t> SequenceModel::recent_arrow(Bytes frame, std::string_view not_from) const {
  const std::size_t stop = arrows_.size() > look_back ? arrows_.size() - look_back : 0;
  for (std::size_t i = arrows_.size(); i > stop; --i) {
    const Arrow& a = arrows_[i - 1];
    if (a.from != not_from && same(a.frame, frame)) return i - 1;
  }
  return std::nullopt;
}

void SequenceModel::frame_received(const TraceEvent& event) {
  learn(event.host);
  std::optional<std::size_t> index = recent_arrow(event.frame, event.host);
  if (index && std::find(arrows_[*index].to.begin(), arrows_[*index].to.end(), event.host) != arrows_[*index].to.end()) {
    index.reset();  // taken already: the wire delivered a duplicate
  }
  if (!index) {
    // Nobody traced sending it (a rule's answer), or a duplicate: an arrow of its own.
    Arrow arrow;
    arrow.frame.assign(event.frame.begin(), event.frame.end());
    diagram::LabelOptions options;
    options.absolute_numbers = false;
    options.full = false;
    arrow.label = diagram::frame_label(event.frame, numbers_, options);
    arrows_.push_back(std::move(arrow));
    add_row(event, DiagramRow::Kind::Frame, {}, arrows_.size() - 1);
    index = arrows_.size() - 1;
  }
  arrows_[*index].to.emplace_back(event.host);
  current_ = row_of_arrow_[*index];
}

void SequenceModel::dropped(const TraceEvent& event, const Dropped& drop) {
  if (drop.reason == not_for_us) return;
  const std::optional<std::size_t> index = recent_arrow(event.frame, {});
  if (!index) return;
  Arrow& arrow = arrows_[*index];
  arrow.dropped = true;
  arrow.dropped_by = drop.interface.empty() ? std::string{event.host} : std::string{drop.interface};
  arrow.drop_reason = drop.reason;
  current_ = row_of_arrow_[*index];
}

std::string SequenceModel::text() const {
  std::string out = "lifelines:";
  for (const std::string& l : lifelines_) out += " " + l;
  out += "\n";
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const DiagramRow& row = rows_[i];
    std::string line = (current_ == i ? "> #" : "  #") + std::to_string(row.event) + "  " +
                       format_seconds(row.time.time_since_epoch()) + "  ";
    if (row.kind == DiagramRow::Kind::Frame) {
      const Arrow& a = arrows_[*row.arrow];
      std::string to;
      for (const std::string& t : a.to) to += (to.empty() ? "" : ",") + t;
      line += (a.from.empty() ? std::string{"(wire)"} : a.from) + " -> " + (to.empty() ? std::string{"?"} : to) + "  " +
              a.label;
      if (a.delivered()) line += "  delivered";
      if (a.dropped) line += "  dropped by " + a.dropped_by + ": " + a.drop_reason;
      if (!a.delivered() && !a.dropped) line += "  in flight";
    } else {
      line += row.host + "  " + row.text;
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace netstep::views
