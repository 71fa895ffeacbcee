#include "harness/segment_harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <variant>

namespace netstep::tcp::test {

namespace {

constexpr std::uint8_t compared_bits = wire::TcpFlags::syn | wire::TcpFlags::ack | wire::TcpFlags::fin |
                                       wire::TcpFlags::rst;

// `len=5 "hello"`, the text shown only when short and printable.
std::string describe_payload(Bytes payload) {
  std::string s = "len=" + std::to_string(payload.size());
  if (payload.empty() || payload.size() > 24) return s;
  std::string text;
  for (const std::byte b : payload) {
    const auto c = static_cast<char>(b);
    if (c < 0x20 || c > 0x7e) return s;
    text += c;
  }
  return s + " \"" + text + "\"";
}

std::string at(Instant t) { return "[t=" + format_seconds(t.time_since_epoch()) + "]"; }

}  // namespace

// --- SegmentSpec ---------------------------------------------------------

SegmentSpec& SegmentSpec::payload(std::string_view text) {
  std::vector<std::byte> bytes(text.size());
  std::transform(text.begin(), text.end(), bytes.begin(), [](char c) { return static_cast<std::byte>(c); });
  return payload(std::move(bytes));
}

SegmentSpec& SegmentSpec::payload(std::vector<std::byte> bytes) {
  length_ = bytes.size();
  payload_ = std::move(bytes);
  return *this;
}

std::string SegmentSpec::describe() const {
  std::string s = wire::to_string(wire::TcpFlags{flags_});
  if (either_bits_ != 0) s += " (" + wire::to_string(wire::TcpFlags{either_bits_}) + " bit either way)";
  if (seq_) s += " seq=" + std::to_string(seq_->value());
  if (ack_) s += " ack=" + std::to_string(ack_->value());
  if (window_) s += " win=" + std::to_string(*window_);
  if (payload_) {
    s += " " + describe_payload(Bytes{*payload_});
  } else if (length_) {
    s += " len=" + std::to_string(*length_);
  }
  std::string options;
  const auto add = [&](const std::string& o) { options += (options.empty() ? "" : ",") + o; };
  switch (mss_.want) {
    case Want::DontCare: break;
    case Want::Absent: add("no mss"); break;
    case Want::Present: add("mss any"); break;
    case Want::Equals: add("mss " + std::to_string(mss_.value)); break;
  }
  if (sack_permitted_) add("sackOK");
  if (no_sack_permitted_) add("no sackOK");
  switch (ts_.want) {
    case Want::DontCare: break;
    case Want::Absent: add("no TS"); break;
    case Want::Present: add("TS any"); break;
    case Want::Equals: add("TS val " + std::to_string(ts_.value) + " ecr " + std::to_string(ts_echo_)); break;
  }
  for (const wire::SackBlock& b : sack_) add("sack " + std::to_string(b.left.value()) + ":" + std::to_string(b.right.value()));
  if (check_sack_ && sack_.empty()) add("no sack");
  switch (wscale_.want) {
    case Want::DontCare: break;
    case Want::Absent: add("no wscale"); break;
    case Want::Present: add("wscale any"); break;
    case Want::Equals: add("wscale " + std::to_string(wscale_.value)); break;
  }
  if (!options.empty()) s += " <" + options + ">";
  return s;
}

wire::TcpRepr SegmentSpec::to_repr(const FourTuple& peer_to_us) const {
  wire::TcpRepr r;
  r.source_port = peer_to_us.local.port;
  r.destination_port = peer_to_us.remote.port;
  r.seq = seq_.value_or(SeqNum{0});
  r.ack = ack_.value_or(SeqNum{0});
  r.flags = wire::TcpFlags{flags_};
  r.window = window_.value_or(65535);
  if (mss_.want == Want::Equals) r.mss = static_cast<std::uint16_t>(mss_.value);
  if (wscale_.want == Want::Equals) r.window_scale = static_cast<std::uint8_t>(wscale_.value);
  r.sack_permitted = sack_permitted_;
  if (ts_.want == Want::Equals) r.timestamps = wire::TcpTimestamps{ts_.value, ts_echo_};
  for (const wire::SackBlock& b : sack_) {
    if (r.sack_count < wire::TcpRepr::max_sack_blocks) r.sack_blocks[r.sack_count++] = b;
  }
  if (payload_) {
    r.payload = Bytes{*payload_};
  } else if (length_) {
    generated_.resize(*length_);
    for (std::size_t i = 0; i < generated_.size(); ++i) generated_[i] = static_cast<std::byte>('a' + i % 26);
    r.payload = Bytes{generated_};
  }
  return r;
}

std::vector<std::pair<std::string, std::string>> SegmentSpec::mismatches(const wire::TcpRepr& got) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::uint8_t mask = compared_bits;
  if (check_psh_) mask |= wire::TcpFlags::psh;
  mask = static_cast<std::uint8_t>(mask & ~either_bits_);
  if ((got.flags.bits() & mask) != (flags_ & mask)) {
    out.emplace_back("flags " + wire::to_string(wire::TcpFlags{flags_}), "flags " + wire::to_string(got.flags));
  }
  if (seq_ && got.seq != *seq_) {
    out.emplace_back("seq=" + std::to_string(seq_->value()), "seq=" + std::to_string(got.seq.value()));
  }
  if (ack_ && (!got.flags.ack_set() || got.ack != *ack_)) {
    out.emplace_back("ack=" + std::to_string(ack_->value()),
                     got.flags.ack_set() ? "ack=" + std::to_string(got.ack.value()) : std::string{"no ACK bit"});
  }
  if (window_ && got.window != *window_) {
    out.emplace_back("win=" + std::to_string(*window_), "win=" + std::to_string(got.window));
  }
  const auto option = [&](const OptionWant& want, std::optional<std::uint32_t> value, const char* name) {
    const std::string n{name};
    const std::string got_text = value ? n + " " + std::to_string(*value) : "no " + n;
    switch (want.want) {
      case Want::DontCare: break;
      case Want::Absent:
        if (value) out.emplace_back("no " + n, got_text);
        break;
      case Want::Present:
        if (!value) out.emplace_back(n + " (any value)", got_text);
        break;
      case Want::Equals:
        if (value != want.value) out.emplace_back(n + " " + std::to_string(want.value), got_text);
        break;
    }
  };
  option(mss_, got.mss ? std::optional<std::uint32_t>{*got.mss} : std::nullopt, "mss");
  option(wscale_, got.window_scale ? std::optional<std::uint32_t>{*got.window_scale} : std::nullopt, "wscale");
  if (sack_permitted_ && !got.sack_permitted) out.emplace_back("sackOK", "no sackOK");
  if (no_sack_permitted_ && got.sack_permitted) out.emplace_back("no sackOK", "sackOK");
  const std::string got_ts = got.timestamps ? "TS val " + std::to_string(got.timestamps->value) + " ecr " +
                                                  std::to_string(got.timestamps->echo)
                                            : std::string{"no TS"};
  switch (ts_.want) {
    case Want::DontCare: break;
    case Want::Absent:
      if (got.timestamps) out.emplace_back("no TS", got_ts);
      break;
    case Want::Present:
      if (!got.timestamps) out.emplace_back("TS (any value)", got_ts);
      break;
    case Want::Equals:
      if (got.timestamps != wire::TcpTimestamps{ts_.value, ts_echo_}) {
        out.emplace_back("TS val " + std::to_string(ts_.value) + " ecr " + std::to_string(ts_echo_), got_ts);
      }
      break;
  }
  if (check_sack_) {
    const auto blocks_text = [](std::span<const wire::SackBlock> blocks) {
      std::string t = "sack";
      for (const wire::SackBlock& b : blocks) t += " " + std::to_string(b.left.value()) + ":" + std::to_string(b.right.value());
      return blocks.empty() ? std::string{"no sack"} : t;
    };
    const std::span<const wire::SackBlock> got_blocks{got.sack_blocks.data(), got.sack_count};
    if (!std::equal(sack_.begin(), sack_.end(), got_blocks.begin(), got_blocks.end())) {
      out.emplace_back(blocks_text(sack_), blocks_text(got_blocks));
    }
  }
  if (payload_) {
    if (!std::equal(payload_->begin(), payload_->end(), got.payload.begin(), got.payload.end())) {
      out.emplace_back(describe_payload(Bytes{*payload_}), describe_payload(got.payload));
    }
  } else if (length_ && got.payload.size() != *length_) {
    out.emplace_back("len=" + std::to_string(*length_), "len=" + std::to_string(got.payload.size()));
  }
  return out;
}

std::string describe(const wire::TcpRepr& segment) {
  std::string s = wire::to_string(segment.flags) + " seq=" + std::to_string(segment.seq.value());
  if (segment.flags.ack_set()) s += " ack=" + std::to_string(segment.ack.value());
  s += " win=" + std::to_string(segment.window);
  if (!segment.payload.empty()) s += " " + describe_payload(segment.payload);
  std::string options;
  const auto add = [&](const std::string& o) { options += (options.empty() ? "" : ",") + o; };
  if (segment.mss) add("mss " + std::to_string(*segment.mss));
  if (segment.sack_permitted) add("sackOK");
  if (segment.timestamps) {
    add("TS val " + std::to_string(segment.timestamps->value) + " ecr " + std::to_string(segment.timestamps->echo));
  }
  if (segment.window_scale) add("wscale " + std::to_string(*segment.window_scale));
  for (std::size_t i = 0; i < segment.sack_count; ++i) {
    add("sack " + std::to_string(segment.sack_blocks[i].left.value()) + ":" +
        std::to_string(segment.sack_blocks[i].right.value()));
  }
  if (!options.empty()) s += " <" + options + ">";
  return s;
}

// --- SegmentHarness ------------------------------------------------------

SegmentHarness::SegmentHarness(TcpConfig config, HarnessAddresses addresses) {
  bus_.attach(recorder_);
  connection_.emplace(loop_, Tracer{bus_, "netstep"}, *this, addresses.tuple, share(config), addresses.iss,
                      addresses.ts_offset);
  note("Connection " + addresses.tuple.to_string() + ", ISS " + std::to_string(addresses.iss.value()) + ", state " +
       std::string{to_string(connection_->state())});
  check_invariants();
}

SegmentHarness::~SegmentHarness() {
  connection_.reset();
  bus_.detach(recorder_);
}

void SegmentHarness::connect() {
  note("connect()");
  connection_->connect();
  check_invariants();
}

void SegmentHarness::accept(const SegmentSpec& syn) {
  if (!syn.seq_value()) {
    FAIL("harness misuse: accept() needs a SYN with a seq");
  }
  const wire::TcpRepr repr = syn.to_repr(connection_->tuple().reversed());
  note("accept(" + describe(repr) + ")  [the listener hands over the peer's SYN]");
  connection_->accept(repr);
  check_invariants();
}

std::size_t SegmentHarness::send(std::string_view text) {
  std::vector<std::byte> bytes(text.size());
  std::transform(text.begin(), text.end(), bytes.begin(), [](char c) { return static_cast<std::byte>(c); });
  return send(Bytes{bytes});
}

std::size_t SegmentHarness::send(Bytes data) {
  note("send(" + describe_payload(data) + ")");
  const std::size_t taken = connection_->send(data);
  if (taken != data.size()) note("send() took " + std::to_string(taken) + " of " + std::to_string(data.size()));
  check_invariants();
  return taken;
}

std::string SegmentHarness::receive() {
  std::vector<std::byte> buffer(connection_->readable());
  const std::size_t n = connection_->receive(MutableBytes{buffer});
  buffer.resize(n);
  std::string text(n, '\0');
  std::transform(buffer.begin(), buffer.end(), text.begin(), [](std::byte b) { return static_cast<char>(b); });
  note("receive() -> " + describe_payload(Bytes{buffer}));
  check_invariants();
  return text;
}

void SegmentHarness::close() {
  note("close()");
  connection_->close();
  check_invariants();
}

void SegmentHarness::abort() {
  note("abort()");
  connection_->abort();
  check_invariants();
}

void SegmentHarness::inject(const SegmentSpec& segment) {
  if (!segment.seq_value()) {
    FAIL("harness misuse: inject() needs a seq (" << segment.describe() << ")");
  }
  const wire::TcpRepr repr = segment.to_repr(connection_->tuple().reversed());
  note("inject " + describe(repr));
  connection_->receive_segment(repr);
  check_invariants();
}

void SegmentHarness::advance(Duration d) {
  note("advance " + format_seconds(d) + " s, to t=" + format_seconds(elapsed() + d));
  loop_.run_until(loop_.now() + d);
  check_invariants();
}

void SegmentHarness::advance_to(Duration since_start) {
  if (since_start < elapsed()) {
    FAIL("harness misuse: advance_to(" << format_seconds(since_start) << " s) is in the past (now "
                                       << format_seconds(elapsed()) << " s)");
  }
  advance(since_start - elapsed());
}

void SegmentHarness::expect_sent(const SegmentSpec& segment) { (void)take_sent(segment); }

SentSegment SegmentHarness::take_sent(const SegmentSpec& segment) {
  absorb_trace();
  if (next_expected_ == sent_.size()) fail("sent " + segment.describe(), "nothing sent");
  const SentSegment& got = sent_[next_expected_];
  const auto differences = segment.mismatches(got.repr());
  if (!differences.empty()) {
    std::string expected;
    std::string actual;
    for (const auto& [e, g] : differences) {
      expected += (expected.empty() ? "" : ", ") + e;
      actual += (actual.empty() ? "" : ", ") + g;
    }
    fail(expected, actual + "\n     expected segment: " + segment.describe() + "\n     sent segment:     " +
                       describe(got.repr()) + " at t=" + format_seconds(got.time.time_since_epoch()));
  }
  ++next_expected_;
  note("expect sent " + segment.describe() + ": ok");
  return got;
}

void SegmentHarness::expect_nothing_sent() {
  absorb_trace();
  if (next_expected_ != sent_.size()) {
    const std::size_t more = sent_.size() - next_expected_ - 1;
    fail("nothing sent", "sent " + describe(sent_[next_expected_].repr()) +
                             (more == 0 ? std::string{} : " (and " + std::to_string(more) + " more)"));
  }
  note("expect nothing sent: ok");
}

void SegmentHarness::expect_state(State state) {
  if (connection_->state() != state) {
    fail("state " + std::string{to_string(state)}, "state " + std::string{to_string(connection_->state())});
  }
  note("expect state " + std::string{to_string(state)} + ": ok");
}

void SegmentHarness::expect_outcome(Outcome outcome) {
  if (connection_->outcome() != outcome) {
    fail("outcome " + std::string{to_string(outcome)}, "outcome " + std::string{to_string(connection_->outcome())});
  }
  note("expect outcome " + std::string{to_string(outcome)} + ": ok");
}

void SegmentHarness::expect_received(std::string_view text) {
  const std::string got = receive();
  if (got != text) fail("received \"" + std::string{text} + "\"", "received \"" + got + "\"");
}

void SegmentHarness::expect(bool condition, std::string_view what) {
  if (!condition) fail(std::string{what}, "not so");
  note("expect " + std::string{what} + ": ok");
}

void SegmentHarness::expect_state_changes_explained() {
  for (const TcpStateChanged& change : state_changes()) {
    const std::string which = std::string{change.from} + " -> " + std::string{change.to};
    if (change.cause.empty()) fail("a cause for " + which, "an empty cause");
    if (!change.rfc.starts_with("RFC 9293")) {
      fail("an \"RFC 9293 ...\" section for " + which, "rfc \"" + std::string{change.rfc} + "\"");
    }
  }
  note("expect every state change to have a cause and an RFC 9293 section: ok");
}

std::vector<TcpStateChanged> SegmentHarness::state_changes() const {
  std::vector<TcpStateChanged> out;
  for (const RecordedEvent* e : recorder_.all<TcpStateChanged>()) out.push_back(*e->as<TcpStateChanged>());
  return out;
}

std::string SegmentHarness::narrative() const {
  std::string s;
  for (std::size_t i = 0; i < steps_.size(); ++i) s += "  " + std::to_string(i + 1) + ". " + steps_[i] + "\n";
  return s;
}

// --- Connection::Owner ---------------------------------------------------

void SegmentHarness::send_segment(Connection& connection, const wire::TcpRepr& segment) {
  if (&connection != &*connection_) violation_ += "send_segment() from another connection\n";
  const FourTuple& tuple = connection_->tuple();
  if (segment.source_port != tuple.local.port || segment.destination_port != tuple.remote.port) {
    violation_ += "a segment with ports " + std::to_string(segment.source_port.value()) + " > " +
                  std::to_string(segment.destination_port.value()) + " (expected " +
                  std::to_string(tuple.local.port.value()) + " > " + std::to_string(tuple.remote.port.value()) +
                  ")\n";
  }
  SentSegment copy{loop_.now(), segment, std::vector<std::byte>(segment.payload.begin(), segment.payload.end())};
  copy.header.payload = {};
  note("sent " + describe(segment));
  sent_.push_back(std::move(copy));
}

void SegmentHarness::connection_established(Connection&) {
  ++established_calls_;
  note("owner told: connection_established()");
  if (established_calls_ > 1) violation_ += "connection_established() called more than once\n";
}

void SegmentHarness::connection_closed(Connection& connection) {
  ++closed_calls_;
  note("owner told: connection_closed(), outcome " + std::string{to_string(connection.outcome())});
  if (closed_calls_ > 1) violation_ += "connection_closed() called more than once\n";
}

// --- the narrative -------------------------------------------------------

void SegmentHarness::note(std::string line) {
  absorb_trace();
  steps_.push_back(at(loop_.now()) + " " + std::move(line));
}

void SegmentHarness::absorb_trace() {
  const auto& events = recorder_.events();
  for (; trace_seen_ < events.size(); ++trace_seen_) {
    const RecordedEvent& e = events[trace_seen_];
    std::visit(
        [&](const auto& p) {
          using P = std::remove_cvref_t<decltype(p)>;
          if constexpr (std::is_same_v<P, TcpStateChanged>) {
            steps_.push_back(at(e.time) + "   state " + std::string{p.from} + " -> " + std::string{p.to} + "  (" +
                             std::string{p.cause} + "; " + std::string{p.rfc} + ")");
            if (p.from != to_string(traced_state_)) {
              violation_ += "the trace says " + std::string{p.from} + " -> " + std::string{p.to} +
                            ", but the previous change ended in " + std::string{to_string(traced_state_)} + "\n";
            }
            bool known = false;
            for (const State s : all_states) {
              if (to_string(s) == p.to) {
                traced_state_ = s;
                known = true;
              }
            }
            if (!known) violation_ += "a state change to an unknown state \"" + std::string{p.to} + "\"\n";
          } else if constexpr (std::is_same_v<P, TimerArmed>) {
            steps_.push_back(at(e.time) + "   timer " + std::string{p.name} + " armed for t=" +
                             format_seconds(p.deadline.time_since_epoch()));
          } else if constexpr (std::is_same_v<P, TimerFired>) {
            steps_.push_back(at(e.time) + "   timer " + std::string{p.name} + " fired");
          } else if constexpr (std::is_same_v<P, Dropped>) {
            steps_.push_back(at(e.time) + "   dropped: " + std::string{p.reason});
          }
        },
        e.payload);
  }
}

void SegmentHarness::check_invariants() {
  absorb_trace();
  if (!violation_.empty()) {
    const std::string v = violation_;
    violation_.clear();
    fail("the harness's invariants to hold", v);
  }
  if (connection_->state() != traced_state_) {
    fail("state() = " + std::string{to_string(traced_state_)} + ", as the last TcpStateChanged says",
         "state() = " + std::string{to_string(connection_->state())} +
             " (changed without a TcpStateChanged: the state was written outside set_state?)");
  }
}

void SegmentHarness::fail(const std::string& expected, const std::string& got) {
  absorb_trace();
  std::string message = "The steps so far:\n" + narrative();
  message += "  " + std::to_string(steps_.size() + 1) + ". " + at(loop_.now()) + " EXPECTED " + expected +
             ",\n     GOT " + got + "\n";
  FAIL(message);
  throw std::logic_error("unreachable: FAIL returned");
}

}  // namespace netstep::tcp::test
