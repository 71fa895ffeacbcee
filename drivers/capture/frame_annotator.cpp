#include "capture/frame_annotator.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "capture/frame_fingerprint.hpp"
#include "sinks/narrative_sink.hpp"

namespace netstep::capture {

namespace {

constexpr std::string_view wire_made_note =
    "sent by no captured interface: made by the simulated wire (a reject rule's answer)";

std::size_t power_of_two_at_least(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p *= 2;
  return p;
}

// A frame a host received: what the host does at that same instant is
// what the frame caused.
struct Receipt {
  std::uint64_t event = 0;  // the FrameReceived's sequence number
  Instant time;
  std::optional<std::uint64_t> frame;  // the captured frame it matched, if any
};

}  // namespace

bool told_in_brief(const TracePayload& payload) {
  // The frequent ones of a transfer: every segment and every TCB change.
  return !(std::holds_alternative<TcpSegment>(payload) || std::holds_alternative<TcpVariables>(payload) ||
           std::holds_alternative<TimerArmed>(payload) || std::holds_alternative<TimerFired>(payload) ||
           std::holds_alternative<TimerCancelled>(payload) || std::holds_alternative<RouteDecision>(payload) ||
           std::holds_alternative<IcmpSent>(payload) || std::holds_alternative<IcmpReceived>(payload) ||
           std::holds_alternative<UdpDatagram>(payload) || std::holds_alternative<FrameReceived>(payload));
}

void CaptureOptions::validate() const {
  if (pending_frames == 0) throw std::invalid_argument("capture: pending_frames must be at least 1");
  if (comment_limit < 16 || comment_limit > 65535) {
    throw std::invalid_argument("capture: comment_limit " + std::to_string(comment_limit) +
                                " is outside 16..65535 bytes");
  }
}

struct FrameAnnotator::HostState {
  HostState(std::string_view host, std::size_t comment_limit)
      : name{host}, receiver_label{name + " on receipt"}, open{comment_limit} {}

  void add_receipt(std::uint64_t event, Instant time, std::optional<std::uint64_t> frame) {
    receipts[receipt_count++ % receipts.size()] = Receipt{event, time, frame};
  }
  // The frame whose receipt an event at `time` belongs to: the latest one
  // received at that instant, or the latest at or before `cause_event` (a
  // socket call's cause) if one was received at that instant too.
  [[nodiscard]] std::optional<std::uint64_t> received_at(Instant time, std::optional<std::uint64_t> cause_event) const {
    const std::size_t kept = std::min(receipt_count, receipts.size());
    for (std::size_t i = 0; i < kept; ++i) {
      const Receipt& r = receipts[(receipt_count - 1 - i) % receipts.size()];
      if (r.time != time) return std::nullopt;
      if (!cause_event || r.event <= *cause_event) return r.frame;
    }
    return std::nullopt;
  }

  std::string name;            // also the label of its notes on the frames it sends
  std::string receiver_label;  // "server on receipt"
  CommentBuilder open;         // notes for the next frame this host sends
  Instant open_since;          // when the first of them happened
  std::optional<std::uint64_t> last_sent;      // the captured frame it sent last
  std::optional<std::uint64_t> last_received;  // the captured frame it received last
  std::array<Receipt, 8> receipts{};  // the latest receipts, a ring
  std::size_t receipt_count = 0;
};

FrameAnnotator::FrameAnnotator(const CaptureTopology& topology, FrameOutput& output, CaptureOptions options,
                               Comments comments)
    : topology_{topology}, output_{output}, options_{options}, comments_{comments == Comments::On} {
  options_.validate();
  slots_.reserve(options_.pending_frames);  // slots never move once made
  index_.assign(power_of_two_at_least(4 * options_.pending_frames), 0);
  sent_.assign(4 * options_.pending_frames, 0);
}

FrameAnnotator::~FrameAnnotator() = default;

void FrameAnnotator::receive(const TraceEvent& event) {
  if (const auto* sent = std::get_if<FrameSent>(&event.payload)) return on_frame_sent(event, sent->interface);
  if (const auto* received = std::get_if<FrameReceived>(&event.payload)) {
    return on_frame_received(event, received->interface);
  }
  if (event.layer == Layer::Driver && !event.frame.empty()) {
    if (const auto* dropped = std::get_if<Dropped>(&event.payload)) return on_wire_drop(event, *dropped);
    if (const auto* impairment = std::get_if<WireImpairment>(&event.payload)) {
      return on_wire_impairment(event, *impairment);
    }
  }
  if (comments_ && told_in_brief(event.payload)) on_host_event(event);
}

void FrameAnnotator::flush() {
  if (comments_) tell_trailing_notes();
  while (oldest_ < next_) write_oldest();
}

// Notes a host gathered after its last frame (an ARP entry that FAILED, a
// connection leaving TIME-WAIT, a last close()) go on the last frame it
// sent, if it is still held ("client 1.000000 s later: ..."), else on the
// last it received before them.
void FrameAnnotator::tell_trailing_notes() {
  for (const auto& host : hosts_) {
    if (host->open.empty()) continue;
    std::optional<std::uint64_t> target;
    if (host->last_sent && is_pending(*host->last_sent)) {
      target = host->last_sent;
    } else if (host->last_received && is_pending(*host->last_received) &&
               slot(*host->last_received).time <= host->open_since) {
      target = host->last_received;
    }
    if (!target) continue;
    Pending& frame = slot(*target);
    label_ = host->name;
    if (host->open_since == frame.time) {
      label_ += " afterwards";
    } else {
      label_ += ' ';
      label_ += format_seconds(host->open_since - frame.time);
      label_ += " s later";
    }
    frame.comment.add_notes_of(label_, host->open);
    host->open.clear();
  }
}

void FrameAnnotator::on_frame_sent(const TraceEvent& event, std::string_view interface) {
  HostState& host = host_state(event.host);
  const auto link = topology_.link_of(event.host, interface);
  if (!link || event.frame.empty()) {
    host.open.clear();  // they led to a frame the capture does not hold
    remember_sent(fingerprint(event.frame));
    return;
  }
  Pending& frame = capture(*link, event.time, event.frame);
  host.last_sent = frame.number;
  if (comments_) {
    frame.comment = host.open;
    host.open.clear();
  }
}

void FrameAnnotator::on_frame_received(const TraceEvent& event, std::string_view interface) {
  HostState& host = host_state(event.host);
  std::optional<std::uint64_t> number = find(event.frame);
  if (!number && !event.frame.empty() && !sent_recently(event.frame)) {
    if (const auto link = topology_.link_of(event.host, interface)) {
      Pending& frame = capture(*link, event.time, event.frame);
      if (comments_) frame.comment.add({}, wire_made_note);
      number = frame.number;
    }
  }
  host.add_receipt(event.sequence, event.time, number);
  if (number) host.last_received = number;
}

void FrameAnnotator::on_wire_drop(const TraceEvent& event, const Dropped& dropped) {
  const auto number = find(event.frame);
  if (!number || !comments_) return;
  // "dropped by link client-lan (client.eth0 -> lan.p0): impairment: loss",
  // "dropped by lan p1: rule: drop" (a switch port), "dropped by client eth0: ..." (a NIC).
  note_ = "dropped by ";
  if (topology_.is_link(event.host)) {
    note_ += "link ";
    note_ += event.host;
    note_ += " (";
    note_ += dropped.interface;
    note_ += ')';
  } else {
    note_ += event.host;
    if (!dropped.interface.empty()) {
      note_ += ' ';
      note_ += dropped.interface;
    }
  }
  note_ += ": ";
  note_ += dropped.reason;
  add_wire_note(*number);
}

void FrameAnnotator::on_wire_impairment(const TraceEvent& event, const WireImpairment& impairment) {
  std::optional<std::uint64_t> number;
  if (impairment.what == "corrupted") {
    // The event carries the corrupted copy: put the bit back to find the
    // frame, and remember the copy, which its receiver will report.
    if (impairment.bit >= event.frame.size() * 8) return;
    remember_sent(fingerprint(event.frame));
    scratch_.assign(event.frame.begin(), event.frame.end());
    scratch_[impairment.bit / 8] ^= std::byte{static_cast<std::uint8_t>(0x80u >> (impairment.bit % 8))};
    number = find(scratch_);
    if (!number) return;
    corrupted_[corrupted_count_++ % corrupted_.size()] = CorruptedCopy{content_hash(event.frame), *number};
  } else {
    number = find(event.frame);
  }
  if (!number || !comments_) return;
  note_.clear();
  if (topology_.is_link(event.host)) note_ += "link ";
  note_ += event.host;
  note_ += ": ";
  note_ += narrate(event, NarrativeOptions::Detail::Brief);
  add_wire_note(*number);
}

void FrameAnnotator::add_wire_note(std::uint64_t frame) { slot(frame).comment.add({}, note_); }

void FrameAnnotator::on_host_event(const TraceEvent& event) {
  const std::string text = narrate(event, NarrativeOptions::Detail::Brief);
  if (text.empty()) return;
  HostState& host = host_state(event.host);
  std::optional<std::uint64_t> cause_event;
  if (const auto* call = std::get_if<SocketCall>(&event.payload); call != nullptr && call->cause_event >= 0) {
    cause_event = static_cast<std::uint64_t>(call->cause_event);
  }
  const std::optional<std::uint64_t> caused_by = host.received_at(event.time, cause_event);
  if (caused_by && is_pending(*caused_by)) {
    slot(*caused_by).comment.add(host.receiver_label, text);
  } else {
    if (host.open.empty()) host.open_since = event.time;
    host.open.add(host.name, text);
  }
}

FrameAnnotator::Pending& FrameAnnotator::capture(std::size_t link, Instant time, Bytes bytes) {
  if (next_ - oldest_ == options_.pending_frames) write_oldest();
  const std::uint64_t number = next_++;
  if (slots_.size() < options_.pending_frames) slots_.emplace_back(options_.comment_limit);
  Pending& frame = slot(number);
  frame.number = number;
  frame.time = time;
  frame.link = link;
  frame.fingerprint = fingerprint(bytes);
  frame.bytes.assign(bytes.begin(), bytes.end());
  frame.comment.clear();
  index_[frame.fingerprint & (index_.size() - 1)] = number + 1;
  return frame;
}

void FrameAnnotator::write_oldest() {
  const Pending& frame = slot(oldest_);
  output_.write_frame(
      CapturedFrame{frame.link, frame.time, frame.bytes, comments_ ? frame.comment.text() : std::string_view{}});
  remember_sent(frame.fingerprint);
  ++oldest_;
}

bool FrameAnnotator::holds(std::uint64_t number, std::uint64_t print, Bytes bytes) const {
  if (!is_pending(number)) return false;
  const Pending& frame = slot(number);
  // memcmp: std::equal compares std::byte one at a time.
  return frame.fingerprint == print && frame.bytes.size() == bytes.size() &&
         std::memcmp(frame.bytes.data(), bytes.data(), bytes.size()) == 0;
}

std::optional<std::uint64_t> FrameAnnotator::find(Bytes bytes) const {
  const std::uint64_t print = fingerprint(bytes);
  if (const std::uint64_t indexed = index_[print & (index_.size() - 1)]; indexed != 0 && holds(indexed - 1, print, bytes)) {
    return indexed - 1;
  }
  // The index keeps one frame per slot; another may have taken it.
  for (std::uint64_t number = next_; number-- > oldest_;) {
    if (holds(number, print, bytes)) return number;
  }
  const std::size_t kept = static_cast<std::size_t>(std::min<std::uint64_t>(corrupted_count_, corrupted_.size()));
  if (kept > 0) {
    const std::uint64_t hash = content_hash(bytes);
    for (std::size_t i = 0; i < kept; ++i) {
      const CorruptedCopy& copy = corrupted_[(corrupted_count_ - 1 - i) % corrupted_.size()];
      if (copy.hash == hash && is_pending(copy.frame)) return copy.frame;
    }
  }
  return std::nullopt;
}

void FrameAnnotator::remember_sent(std::uint64_t print) { sent_[sent_count_++ % sent_.size()] = print; }

bool FrameAnnotator::sent_recently(Bytes bytes) const {
  const std::uint64_t print = fingerprint(bytes);
  const auto kept = static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(sent_count_, sent_.size()));
  return std::find(sent_.begin(), sent_.begin() + kept, print) != sent_.begin() + kept;
}

FrameAnnotator::HostState& FrameAnnotator::host_state(std::string_view name) {
  for (const auto& host : hosts_) {
    if (host->name == name) return *host;
  }
  hosts_.push_back(std::make_unique<HostState>(name, options_.comment_limit));
  return *hosts_.back();
}

}  // namespace netstep::capture
