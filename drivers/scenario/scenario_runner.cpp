#include "scenario/scenario_runner.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "event/task.hpp"
#include "scenario/scenario_world.hpp"
#include "socket/errc.hpp"
#include "socket/socket_api.hpp"
#include "wire/tcp.hpp"

namespace netstep::scenario {

namespace {

using socket::CallResult;

// What send() and sendto() send: bytes counting 00 01 02 ... ff 00 ..., so
// a hex dump shows each byte's offset in the call. Not text: Wireshark would
// take a run of letters to port 80 for an HTTP request still arriving, and
// mark every retransmission of it as a reassembly error.
void fill_payload(std::vector<std::byte>& buffer, std::size_t bytes) {
  buffer.resize(bytes);
  for (std::size_t i = 0; i < bytes; ++i) buffer[i] = static_cast<std::byte>(i & 0xff);
}

// The TCP segments each host sent, for the segment expectations.
struct SegmentLog final : TraceSink {
  struct Sent {
    std::string host;
    std::uint8_t flags;
    Endpoint remote;
  };
  std::vector<Sent> sent;
  void receive(const TraceEvent& e) override {
    const auto* s = std::get_if<TcpSegment>(&e.payload);
    if (s == nullptr || s->direction != "sent") return;
    sent.push_back(Sent{std::string{e.host}, s->flags, s->remote});
  }
};

std::string short_result(const CallResult& r) {
  if (!r.error) return std::to_string(r.value);
  const std::string name{socket::posix_name(*r.error)};
  if (r.convention == socket::ReturnConvention::NegativeCode) return std::to_string(r.value) + " " + name;
  return name;
}

// An error expected by one name matches another the system gives the same
// number: EAGAIN and EWOULDBLOCK are both 11 on Linux and both 35 on FreeBSD,
// so a program cannot tell them apart and neither may a scenario.
bool same_error(socket::PersonalityId p, socket::Errc expected, socket::Errc got) {
  if (expected == got) return true;
  const auto& personality = socket::Personality::get(p);
  const auto a = personality.code(expected);
  const auto b = personality.code(got);
  return a && b && a->number && b->number && *a->number == *b->number;
}

bool result_matches(const ResultExpectation& e, const CallResult& r, socket::PersonalityId p) {
  switch (e.kind) {
    case ResultExpectation::Kind::Success: return r.ok();
    case ResultExpectation::Kind::Value: return r.value == e.value;
    case ResultExpectation::Kind::Failure: return !r.ok();
    case ResultExpectation::Kind::Error: return r.error && same_error(p, e.error, *r.error);
  }
  return false;
}

// One host's program: its steps in order, its sockets by name.
struct Program {
  std::string host;
  socket::SocketApi* api = nullptr;
  ScriptedTcpPeer* scripted = nullptr;  // a scripted host's TCP (tcp: scripted)
  socket::PersonalityId personality{};
  std::vector<StepRecord*> records;
  std::map<std::string, int> sockets;
  std::vector<std::byte> buffer;  // what send() sends and recv() fills
  Endpoint peer;                  // recvfrom's sender
};

void check(StepRecord& record, const CallExpectation& e, const CallResult* r, const std::optional<std::string>& state,
           socket::PersonalityId p) {
  if (e.result && r != nullptr && !result_matches(*e.result, *r, p)) {
    record.failures.push_back("expected " + e.result->describe() + ", got " + record.result);
  }
  if (e.after) {
    const Duration took = record.returned_at - record.started_at;
    const Duration off = took > *e.after ? took - *e.after : *e.after - took;
    if (off > e.tolerance) {
      record.failures.push_back("expected it to return after " + seconds_text(*e.after) + " (+/- " + seconds_text(e.tolerance) +
                                "), it took " + seconds_text(took));
    }
  }
  if (e.state && state != e.state) {
    record.failures.push_back("expected TCP state " + *e.state + ", the socket is " + state.value_or("not a TCP socket"));
  }
}

Task run_program(Program& p, EventLoop& loop) {
  for (StepRecord* record : p.records) {
    const Step& step = *record->step;
    if (!step.only.empty() && std::find(step.only.begin(), step.only.end(), p.personality) == step.only.end()) {
      record->skipped = true;
      continue;
    }
    if (step.at && loop.now() < Instant{*step.at}) co_await sleep_for(Instant{*step.at} - loop.now());
    record->started = true;
    record->started_at = loop.now();
    const auto fd = [&]() {
      const auto it = p.sockets.find(step.socket_name);
      return it == p.sockets.end() ? -1 : it->second;  // a socket() that failed: EBADF, as in C
    };
    std::optional<CallResult> result;
    std::optional<std::string> state;
    std::optional<std::string> segment_text;  // a segment step: the segment seen or sent, in one line
    std::string segment_flags;                 // ... and its flags, for tables
    const int flags = step.dontwait ? socket::msg_dontwait : 0;
    switch (step.call) {
      case Call::Socket:
        result = p.api->socket(socket::af_inet, step.type);
        if (result->ok()) {
          p.sockets[step.as] = result->value;
          if (step.nonblocking) (void)p.api->set_nonblocking(result->value, true);
        }
        break;
      case Call::Bind: result = p.api->bind(fd(), *step.address); break;
      case Call::Listen: result = p.api->listen(fd(), step.backlog); break;
      case Call::Accept: {
        Endpoint peer;
        result = co_await p.api->accept(fd(), &peer);
        if (result->ok()) p.sockets[step.as] = result->value;
        break;
      }
      case Call::Connect: {
        socket::ConnectArguments arguments;
        if (step.unspecified_family) arguments.family = socket::af_unspec;
        else arguments.destination = *step.address;
        result = co_await p.api->connect(fd(), arguments);
        break;
      }
      case Call::Send:
        fill_payload(p.buffer, step.bytes);
        result = co_await p.api->send(fd(), Bytes{p.buffer}, flags);
        break;
      case Call::SendTo:
        fill_payload(p.buffer, step.bytes);
        result = co_await p.api->sendto(fd(), Bytes{p.buffer}, *step.address, flags);
        break;
      case Call::Recv: {
        p.buffer.assign(step.bytes, std::byte{0});
        result = co_await p.api->recv(fd(), MutableBytes{p.buffer}, flags);
        // until_end: the read loop every program writes; the step returns
        // the bytes read in all, or the error that ended the loop.
        int total = 0;
        while (step.until_end && result->ok() && result->value > 0) {
          total += result->value;
          result = co_await p.api->recv(fd(), MutableBytes{p.buffer}, flags);
        }
        if (step.until_end && result->ok()) result->value = total;
        break;
      }
      case Call::RecvFrom:
        p.buffer.assign(step.bytes, std::byte{0});
        result = co_await p.api->recvfrom(fd(), MutableBytes{p.buffer}, &p.peer, flags);
        break;
      case Call::Shutdown: result = p.api->shutdown(fd(), step.how); break;
      case Call::Close: result = p.api->close(fd()); break;
      case Call::SetSockOpt: result = p.api->setsockopt(fd(), step.option, step.option_value); break;
      case Call::GetSockOpt: result = p.api->getsockopt(fd(), step.option); break;
      case Call::SoError: result = p.api->so_error(fd()); break;
      case Call::Nonblocking: result = p.api->set_nonblocking(fd(), step.nonblocking); break;
      case Call::Wait: co_await sleep_for(step.duration); break;
      case Call::State: {
        const auto s = p.api->tcp_state(fd());
        if (s) state = std::string{*s};
        break;
      }
      case Call::ExpectSegment:
      case Call::ExpectNoSegment: {
        // The oldest segment that arrived, waiting for one until the deadline.
        const bool want_one = step.call == Call::ExpectSegment;
        const Instant deadline = loop.now() + (want_one ? step.segment.within : step.duration);
        while (!p.scripted->has_segment() && loop.now() < deadline) co_await p.scripted->arrival(deadline);
        if (!p.scripted->has_segment()) {
          segment_text = segment_flags = "nothing";
          if (want_one) {
            record->failures.push_back("expected " + step.segment.describe() + " within " +
                                       seconds_text(step.segment.within) + ", nothing arrived");
          }
          break;
        }
        if (!want_one) {  // left queued: the step failed, whatever comes next is still in order
          const SeenSegment& seen = p.scripted->oldest();
          segment_text = "got " + seen.describe();
          segment_flags = "got " + wire::to_string(wire::TcpFlags{seen.flags});
          record->failures.push_back("expected no segment for " + seconds_text(step.duration) + ", got " +
                                     seen.describe() + " after " + seconds_text(seen.arrived - record->started_at));
          break;
        }
        const SeenSegment seen = p.scripted->take_oldest();
        segment_text = seen.describe();
        segment_flags = wire::to_string(wire::TcpFlags{seen.flags});
        if (!step.segment.matches(seen)) {
          record->failures.push_back("expected " + step.segment.describe() + ", got " + seen.describe());
        }
        break;
      }
      case Call::Inject: {
        const ScriptedTcpPeer::Injected sent = p.scripted->inject(step.injected);
        if (sent.sent) {
          segment_text = "sent " + sent.segment.describe();
          segment_flags = "sent " + wire::to_string(wire::TcpFlags{sent.segment.flags});
        } else {
          segment_text = segment_flags = "not sent";
          record->failures.push_back("could not inject " + step.injected.describe() + ": " + sent.problem);
        }
        break;
      }
    }
    record->returned = true;
    record->returned_at = loop.now();
    if (result) {
      record->is_call = true;
      record->ok = result->ok();
      record->result = result->describe();
      record->short_result = short_result(*result);
      record->explanation = result->explain();
    } else if (segment_text) {
      record->result = *segment_text;
      record->short_result = segment_flags;
    } else if (step.call == Call::State) {
      record->result = record->short_result = state.value_or("(not a TCP socket)");
    } else {
      record->result = record->short_result = "-";
    }
    if (const CallExpectation* e = step.expect.for_personality(p.personality)) {
      // After a call, the state is the socket's as the call returned.
      if (e->state && !state && p.api != nullptr && p.api->tcp_state(fd())) state = std::string{*p.api->tcp_state(fd())};
      check(*record, *e, result ? &*result : nullptr, state, p.personality);
    }
  }
}

}  // namespace

bool RunReport::passed() const { return problems.empty() && expectations_failed() == 0; }

std::size_t RunReport::expectations_failed() const {
  std::size_t n = 0;
  for (const StepRecord& s : steps) n += s.failures.size();
  return n;
}

struct ScenarioPlay::State {
  State(const Scenario& s, socket::PersonalityId p, EventLoop& l, TraceBus& b)
      : scenario{s}, personality{p}, loop{l}, bus{b} {
    bus.attach(segments);
  }
  ~State() { bus.detach(segments); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  const Scenario& scenario;
  socket::PersonalityId personality;
  EventLoop& loop;
  TraceBus& bus;
  RunReport report;
  SegmentLog segments;
  std::optional<ScenarioWorld> world;
  std::vector<Program> programs;
  std::uint64_t first_event = 0;
};

ScenarioPlay::ScenarioPlay(const Scenario& scenario, socket::PersonalityId personality, EventLoop& loop, TraceBus& bus,
                           const std::function<void(ScenarioWorld&)>& on_built)
    : state_{std::make_unique<State>(scenario, personality, loop, bus)} {
  State& s = *state_;
  s.report.personality = personality;
  s.world.emplace(scenario, personality, loop, bus);
  if (on_built) on_built(*s.world);

  for (const HostSteps& hs : scenario.programs) {
    for (const Step& step : hs.steps) {
      StepRecord record;
      record.host = hs.host;
      record.step = &step;
      s.report.steps.push_back(std::move(record));
    }
  }
  s.programs.resize(scenario.programs.size());
  std::size_t next = 0;
  for (std::size_t i = 0; i < scenario.programs.size(); ++i) {
    Program& p = s.programs[i];
    p.host = scenario.programs[i].host;
    p.api = s.world->sockets(p.host);
    p.scripted = s.world->scripted_peer(p.host);
    p.personality = s.world->personality_of(p.host);
    for (std::size_t st = 0; st < scenario.programs[i].steps.size(); ++st) p.records.push_back(&s.report.steps[next++]);
    s.world->tasks().spawn(p.host, run_program(p, loop));
  }
  s.first_event = loop.events_run();
}

ScenarioPlay::~ScenarioPlay() {
  // The tasks (in the world) go before the programs they run.
  state_->world.reset();
}

ScenarioWorld& ScenarioPlay::world() { return *state_->world; }

bool ScenarioPlay::within_limits(const std::optional<Instant>& next_at) const {
  const State& s = *state_;
  return next_at && *next_at <= Instant{s.scenario.limits.time} &&
         s.loop.events_run() - s.first_event < s.scenario.limits.events;
}

RunReport ScenarioPlay::finish() {
  State& s = *state_;
  EventLoop& loop = s.loop;
  const Scenario& scenario = s.scenario;
  RunReport report = s.report;
  report.ended = loop.now();
  report.events = loop.events_run() - s.first_event;
  const std::optional<Instant> next_at = loop.next_event_time();
  const bool hit_event_limit =
      next_at && *next_at <= Instant{scenario.limits.time} && report.events >= scenario.limits.events;
  if (hit_event_limit) {
    report.problems.push_back("the run stopped at its limit of " + std::to_string(scenario.limits.events) +
                              " events (limits: events) at " + seconds_text(loop.now().time_since_epoch()));
  } else if (next_at) {
    report.problems.push_back("the run stopped at its virtual-time limit of " + seconds_text(scenario.limits.time) +
                              " (limits: time) with events still pending");
  }
  for (const TaskRunner::Failure& f : s.world->tasks().failures()) {
    try {
      std::rethrow_exception(f.error);
    } catch (const std::exception& e) {
      report.problems.push_back("host " + f.task + ": its steps stopped: " + e.what());
    }
  }
  for (const StepRecord& r : report.steps) {
    if (r.started && !r.returned) {
      report.problems.push_back(r.step->mark.where() + ": " + r.host + ": " + r.step->describe() +
                                " never returned (still blocked when the run ended)");
    }
  }

  for (const SegmentExpectation& e : scenario.segments) {
    if (!e.only.empty() && std::find(e.only.begin(), e.only.end(), s.personality) == e.only.end()) continue;
    int seen = 0;
    for (const SegmentLog::Sent& sent : s.segments.sent) {
      if (sent.host != e.from) continue;
      if ((sent.flags & e.flags_set) != e.flags_set || (sent.flags & e.flags_clear) != 0) continue;
      if (e.to && !(sent.remote.address == e.to->address && sent.remote.port == e.to->port)) continue;
      ++seen;
    }
    const bool ok = e.count ? seen == *e.count : seen > 0;
    if (!ok) {
      report.problems.push_back(e.mark.where() + ": expected " + e.describe() + ", saw " + std::to_string(seen));
    }
  }
  return report;
}

RunReport run_scenario(const Scenario& scenario, socket::PersonalityId personality, EventLoop& loop, TraceBus& bus,
                       const std::function<void(ScenarioWorld&)>& on_built) {
  ScenarioPlay play{scenario, personality, loop, bus, on_built};
  // Run until nothing is left to do, or a limit.
  while (play.within_limits(loop.next_event_time())) loop.run_next();
  return play.finish();
}

}  // namespace netstep::scenario
