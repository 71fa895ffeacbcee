#include "program_world.hpp"

#include <algorithm>
#include <cstring>

#include "scenario/scenario_world.hpp"
#include "socket/connect_arguments.hpp"

namespace netstep::lab {

using socket::CallResult;
using socket::Personality;
using socket::ReturnConvention;
using socket::SocketOption;
using Kind = ProgramCall::Kind;

namespace {

std::int64_t micros(Instant t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::optional<Endpoint> parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  const auto address = Ipv4Address::parse(std::string_view{text}.substr(0, colon));
  if (!address) return std::nullopt;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
  const long value = std::stol(port);
  if (value > 65535) return std::nullopt;
  return Endpoint{*address, Port{static_cast<std::uint16_t>(value)}};
}

std::string poll_events(short events) {
  std::string out;
  const std::pair<short, const char*> names[] = {{NS_POLLIN, "POLLIN"},   {NS_POLLOUT, "POLLOUT"},
                                                 {NS_POLLERR, "POLLERR"}, {NS_POLLHUP, "POLLHUP"},
                                                 {NS_POLLNVAL, "POLLNVAL"}};
  for (const auto& [bit, name] : names) {
    if ((events & bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += name;
  }
  return out.empty() ? "0" : out;
}

std::string seconds_of(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

}  // namespace

std::string ProgramStep::line() const {
  std::string out = "#" + std::to_string(event) + " " + text;
  if (!result.empty()) out += " -> " + result;
  return out;
}

// Remembers the last socket call the program's host traced: the event a
// step is numbered by.
struct ProgramWorld::Watcher final : TraceSink {
  Watcher(TraceBus& b, std::string h) : bus{b}, host{std::move(h)} { bus.attach(*this); }
  ~Watcher() override { bus.detach(*this); }
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;
  void receive(const TraceEvent& event) override {
    if (event.host == host && std::holds_alternative<SocketCall>(event.payload)) last_call = event.sequence;
  }
  TraceBus& bus;
  std::string host;
  std::optional<std::uint64_t> last_call;
};

ProgramWorld::ProgramWorld(const ProgramRunSetup& setup, EventLoop& loop, TraceBus& bus)
    : setup_{setup},
      loop_{loop},
      bus_{bus},
      watcher_{std::make_unique<Watcher>(bus, setup.host)},
      play_{*setup.scenario, setup.personality, loop, bus} {
  scenario::ScenarioWorld& world = play_.world();
  api_ = world.sockets(setup_.host);
  if (api_ == nullptr) {
    socket::SocketApiOptions options;
    options.tracer = Tracer{bus, watcher_->host};
    Host& host = world.host(setup_.host);
    own_api_ = std::make_unique<socket::SocketApi>(host.tcp(), host.udp(), world.tasks(),
                                                   world.personality_of(setup_.host), options);
    api_ = own_api_.get();
    // The socket API set its personality's port range: the scenario's own
    // range for this host (ephemeral_ports) wins, as ScenarioWorld does it.
    for (const scenario::HostSpec& spec : setup_.scenario->topology.hosts) {
      if (spec.name == setup_.host && spec.ephemeral_ports) {
        host.tcp().set_ephemeral_range(*spec.ephemeral_ports);
        host.udp().set_ephemeral_range(*spec.ephemeral_ports);
      }
    }
  }
  handoff_ = std::make_unique<ProgramHandoff>(setup_.library->lab_main(), setup_.argument,
                                              world.personality_of(setup_.host), setup_.library);
  world.tasks().spawn("program on " + setup_.host, drive());
}

ProgramWorld::~ProgramWorld() {
  handoff_->stop();  // a program still in a call unwinds before the world it calls goes
}

std::vector<std::string> ProgramWorld::hosts() const { return play_.world().host_names(); }

bool ProgramWorld::may_run(std::optional<Instant> next_at) const { return play_.within_limits(next_at); }

void ProgramWorld::emit_app(std::string_view call, int fd, const std::string& result) {
  Tracer{bus_, watcher_->host}.emit(Layer::App, SocketCall{call, fd, result, "the lab program", -1});
}

void ProgramWorld::emit_call(std::string_view call, int fd, const std::string& result) {
  Tracer{bus_, watcher_->host}.emit(Layer::Socket, SocketCall{call, fd, result, "the lab program", -1});
}

ProgramReply ProgramWorld::reply_of(const CallResult& r) const {
  ProgramReply reply;
  reply.value = r.value;
  if (r.error && r.convention != ReturnConvention::NegativeCode) {
    reply.error_number = r.code && r.code->number
                             ? *r.code->number
                             : error_number_for(setup_.personality, socket::posix_name(*r.error));
  }
  return reply;
}

// Numbers the step by the socket_call event the API traced for it, or
// traces one for a call the API does not trace (fcntl, poll, sleep ...).
void ProgramWorld::record(std::string call, int fd, std::string text, const CallResult& r, std::uint64_t before,
                          const std::string& more) {
  const std::string result = r.describe() + more;
  if (!watcher_->last_call || *watcher_->last_call < before) {
    static const std::vector<std::string> names{"socket", "bind", "listen", "accept", "connect", "fcntl",
                                                "setsockopt", "getsockopt", "send", "recv", "sendto", "recvfrom",
                                                "poll", "shutdown", "close", "sleep"};
    const auto it = std::find(names.begin(), names.end(), call);
    emit_call(it != names.end() ? std::string_view{*it} : std::string_view{"call"}, fd, result);
  }
  ProgramStep step;
  step.event = watcher_->last_call.value_or(0);
  step.call = std::move(call);
  step.text = std::move(text);
  step.result = result;
  step.error = r.error;
  step.at_us = micros(loop_.now());
  add_step(std::move(step));
}

void ProgramWorld::add_step(ProgramStep step) {
  if (setup_.on_step) setup_.on_step(step);
  outcome_.steps.push_back(std::move(step));
}

void ProgramWorld::stop_program(std::string why) {
  outcome_.stopped = std::move(why);
  emit_app("lab_main", -1, "stopped: " + outcome_.stopped);
  ProgramStep step;
  step.event = bus_.events_emitted() > 0 ? bus_.events_emitted() - 1 : 0;
  step.call = "lab_main";
  step.text = "the program was stopped";
  step.result = outcome_.stopped;
  step.at_us = micros(loop_.now());
  add_step(std::move(step));
  done_ = true;
  handoff_->stop();
}

void ProgramWorld::note_still_waiting() {
  if (done_) return;
  done_ = true;
  outcome_.stopped = "still waiting in " + (waiting_in.empty() ? std::string{"a call"} : waiting_in) +
                     " when nothing was left to happen (virtual time " + std::to_string(micros(loop_.now()) / 1000) +
                     " ms)";
}

Task ProgramWorld::drive() {
  using socket::sock_dgram;
  socket::SocketApi& api = *api_;
  const Personality& personality = api.personality();
  wall_deadline_ = std::chrono::steady_clock::now() + setup_.wall_limit;
  emit_app("lab_main", -1, "called with " + in_quotes(setup_.argument));
  ProgramReply reply;
  Instant last_time = loop_.now();
  std::uint64_t calls_at_instant = 0;
  for (;;) {
    waiting_in.clear();
    std::optional<ProgramCall> next = handoff_->resume(reply, wall_deadline_);
    if (!next) {
      stop_program("did not return within " + seconds_of(setup_.wall_limit) + " of real time");
      co_return;
    }
    ProgramCall call = std::move(*next);
    if (call.kind == Kind::Returned || call.kind == Kind::Threw || call.kind == Kind::Stopped) {
      done_ = true;
      if (call.kind == Kind::Returned) {
        outcome_.returned = true;
        outcome_.value = call.fd;
        outcome_.returned_at_us = micros(loop_.now());
        emit_app("lab_main", -1, "returned " + std::to_string(call.fd));
      } else {
        outcome_.stopped = call.kind == Kind::Threw ? "threw " + call.text : "stopped";
        emit_app("lab_main", -1, outcome_.stopped);
      }
      ProgramStep step;
      step.event = bus_.events_emitted() > 0 ? bus_.events_emitted() - 1 : 0;
      step.call = "lab_main";
      step.text = "lab_main(" + in_quotes(setup_.argument) + ")";
      step.result = outcome_.returned ? "returned " + std::to_string(outcome_.value) : outcome_.stopped;
      step.at_us = micros(loop_.now());
      add_step(std::move(step));
      if (last_connected_ >= 0) {
        if (const auto s = api.tcp_state(last_connected_)) outcome_.state = std::string{*s};
      }
      co_return;
    }
    if (loop_.now() == last_time) {
      if (++calls_at_instant > setup_.busy_limit) {
        stop_program("busy loop: " + std::to_string(calls_at_instant) +
                     " calls without time passing; wait with ns_poll");
        co_return;
      }
    } else {
      last_time = loop_.now();
      calls_at_instant = 1;
    }

    reply = ProgramReply{};
    const std::uint64_t before = bus_.events_emitted();
    const std::string fd = std::to_string(call.fd);
    std::optional<Endpoint> endpoint;
    if (call.kind == Kind::Bind || call.kind == Kind::SendTo || (call.kind == Kind::Connect && call.text != "unspec")) {
      endpoint = parse_endpoint(call.text);
      if (!endpoint) {
        stop_program("passed " + in_quotes(call.text) + " where an address such as 10.0.0.2:80 belongs");
        co_return;
      }
    }
    switch (call.kind) {
      case Kind::Socket: {
        const CallResult r = api.socket(socket::af_inet, call.a);
        record("socket", call.fd, std::string{"socket("} + (call.a == sock_dgram ? "SOCK_DGRAM" : "SOCK_STREAM") + ")", r,
               before);
        reply = reply_of(r);
        break;
      }
      case Kind::Bind: {
        const CallResult r = api.bind(call.fd, *endpoint);
        record("bind", call.fd, "bind(" + fd + ", " + in_quotes(call.text) + ")", r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::Listen: {
        const CallResult r = api.listen(call.fd, call.a);
        record("listen", call.fd, "listen(" + fd + ", " + std::to_string(call.a) + ")", r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::Accept: {
        waiting_in = "accept()";
        Endpoint peer{};
        const CallResult r = co_await api.accept(call.fd, &peer);
        if (r.ok() && call.out_text != nullptr && call.out_size > 0) {
          const std::string text = peer.to_string();
          std::strncpy(call.out_text, text.c_str(), call.out_size - 1);
          call.out_text[call.out_size - 1] = '\0';
        }
        record("accept", call.fd, "accept(" + fd + ")", r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::Connect: {
        waiting_in = "connect()";
        socket::ConnectArguments arguments;
        if (endpoint) {
          arguments.destination = *endpoint;
        } else {
          arguments.family = socket::af_unspec;
        }
        const CallResult r = co_await api.connect(call.fd, arguments);
        last_connected_ = call.fd;
        record("connect", call.fd, "connect(" + fd + ", " + in_quotes(call.text) + ")", r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::SetNonblocking: {
        const CallResult r = api.set_nonblocking(call.fd, call.a != 0);
        const char* what = personality.id() == socket::PersonalityId::Winsock ? "ioctlsocket(FIONBIO)"
                           : personality.id() == socket::PersonalityId::FreeRtos ? "block time 0"
                                                                                 : "fcntl(O_NONBLOCK)";
        record("fcntl", call.fd, std::string{"set_nonblocking("} + fd + ", " + std::to_string(call.a) + ") [" + what + "]", r,
               before);
        reply = reply_of(r);
        break;
      }
      case Kind::SetSockOpt:
      case Kind::GetSockOpt: {
        const bool set = call.kind == Kind::SetSockOpt;
        if (call.a < 0 || call.a > static_cast<int>(SocketOption::Error)) {
          stop_program("passed option " + std::to_string(call.a) + ", which netstep_lab.h does not define");
          co_return;
        }
        const auto option = static_cast<SocketOption>(call.a);
        const CallResult r = set ? api.setsockopt(call.fd, option, call.b) : api.getsockopt(call.fd, option);
        CallResult read = r;
        if (!set && option == SocketOption::Error && r.ok() && r.value == 0 && r.code && !r.code->number) {
          // TargetTCP names its errors but publishes no numbers, so the API
          // reads 0 for them: give the program netstep's stand-in number.
          read.value = error_number_for(setup_.personality, r.code->name);
        }
        if (!set && read.ok() && call.out_value != nullptr) *call.out_value = read.value;
        std::string text = std::string{set ? "setsockopt(" : "getsockopt("} + fd + ", " +
                           std::string{socket::to_string(option)};
        if (set) text += ", " + std::to_string(call.b);
        text += ")";
        CallResult shown = read;
        if (!set && read.ok()) shown.value = 0;  // getsockopt() returns 0; the value goes to *value
        record(set ? "setsockopt" : "getsockopt", call.fd, text + (!set && read.ok() ? " = " + std::to_string(read.value) : ""),
               shown, before);
        reply = reply_of(shown);
        break;
      }
      case Kind::Send:
      case Kind::SendTo: {
        waiting_in = "send()";
        const Bytes data{static_cast<const std::byte*>(call.data), call.data == nullptr ? 0 : call.length};
        const CallResult r = call.kind == Kind::Send ? co_await api.send(call.fd, data, call.a)
                                                     : co_await api.sendto(call.fd, data, *endpoint, call.a);
        record(call.kind == Kind::Send ? "send" : "sendto", call.fd,
               std::string{call.kind == Kind::Send ? "send(" : "sendto("} + fd + ", " + std::to_string(call.length) +
                   " bytes" + (call.kind == Kind::SendTo ? ", " + in_quotes(call.text) : "") + ")",
               r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::Recv:
      case Kind::RecvFrom: {
        waiting_in = "recv()";
        const MutableBytes buffer{static_cast<std::byte*>(call.buffer), call.buffer == nullptr ? 0 : call.length};
        Endpoint from{};
        const CallResult r = call.kind == Kind::Recv ? co_await api.recv(call.fd, buffer, call.a)
                                                     : co_await api.recvfrom(call.fd, buffer, &from, call.a);
        if (call.kind == Kind::RecvFrom && r.ok() && call.out_text != nullptr && call.out_size > 0) {
          const std::string text = from.to_string();
          std::strncpy(call.out_text, text.c_str(), call.out_size - 1);
          call.out_text[call.out_size - 1] = '\0';
        }
        record(call.kind == Kind::Recv ? "recv" : "recvfrom", call.fd,
               std::string{call.kind == Kind::Recv ? "recv(" : "recvfrom("} + fd + ", " +
                   std::to_string(call.length) + " bytes)",
               r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::Poll: {
        // poll() (WSAPoll on winsock); FreeRTOS_select() on freertos, whose
        // read / write / except sets become POLLIN / POLLOUT / POLLERR.
        waiting_in = "poll()";
        const bool by_select = personality.id() == socket::PersonalityId::FreeRtos;
        std::optional<Instant> deadline;
        if (call.a >= 0) deadline = loop_.now() + std::chrono::milliseconds{call.a};
        if (call.fds == nullptr && call.count > 0) {
          stop_program("passed no pollfd array to ns_poll");
          co_return;
        }
        std::string asked;
        for (unsigned long i = 0; i < call.count; ++i) {
          if (!asked.empty()) asked += ", ";
          asked += std::to_string(call.fds[i].fd) + ": " + poll_events(call.fds[i].events);
        }
        int ready = 0;
        std::string seen;
        for (;;) {
          ready = 0;
          seen.clear();
          for (unsigned long i = 0; i < call.count; ++i) {
            ns_pollfd& p = call.fds[i];
            short events = 0;
            if (by_select) {
              const auto sets = api.select(p.fd);
              events = static_cast<short>((sets.readable ? NS_POLLIN : 0) | (sets.writable ? NS_POLLOUT : 0) |
                                          (sets.exceptional ? NS_POLLERR : 0));
              p.revents = static_cast<short>(events & (p.events | NS_POLLERR));
            } else {
              events = api.poll(p.fd);
              p.revents = static_cast<short>(events & (p.events | NS_POLLERR | NS_POLLHUP | NS_POLLNVAL));
            }
            if (p.revents != 0) {
              ++ready;
              if (!seen.empty()) seen += ", ";
              seen += std::to_string(p.fd) + ": " + poll_events(p.revents);
            }
          }
          if (ready > 0 || (deadline && loop_.now() >= *deadline)) break;
          co_await api.readiness_change(deadline);
        }
        CallResult r;
        r.value = ready;
        record("poll", call.fd, "poll([" + asked + "], " + std::to_string(call.a) + " ms)", r, before,
               ready > 0 ? " (" + seen + ")" : std::string{});
        reply.value = ready;
        break;
      }
      case Kind::Shutdown: {
        const CallResult r = api.shutdown(call.fd, call.a);
        record("shutdown", call.fd, "shutdown(" + fd + ", " + std::to_string(call.a) + ")", r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::Close: {
        if (call.fd == last_connected_) {
          if (const auto s = api.tcp_state(call.fd)) outcome_.state = std::string{*s};
        }
        const CallResult r = api.close(call.fd);
        record("close", call.fd, "close(" + fd + ")", r, before);
        reply = reply_of(r);
        break;
      }
      case Kind::Sleep: {
        waiting_in = "sleep";
        co_await sleep_for(std::chrono::milliseconds{std::max(call.a, 0)});
        CallResult r;
        record("sleep", call.fd, "sleep(" + std::to_string(call.a) + " ms)", r, before);
        break;
      }
      case Kind::Now:
        reply.value = micros(loop_.now());
        break;
      case Kind::Report:
      case Kind::Log: {
        const bool report = call.kind == Kind::Report;
        const std::string text = report ? call.text + "=" + call.text2 : call.text;
        emit_app(report ? "report" : "log", -1, text);
        if (report) outcome_.reports.emplace_back(call.text, call.text2);
        ProgramStep step;
        step.event = bus_.events_emitted() > 0 ? bus_.events_emitted() - 1 : 0;
        step.call = report ? "report" : "log";
        step.text = report ? "report(" + in_quotes(call.text) + ", " + in_quotes(call.text2) + ")" : "log(" + in_quotes(text) + ")";
        step.at_us = micros(loop_.now());
        add_step(std::move(step));
        break;
      }
      case Kind::Returned:
      case Kind::Stopped:
      case Kind::Threw:
        break;  // handled above
    }
    if (last_connected_ >= 0 && call.kind != Kind::Close) {
      if (const auto s = api.tcp_state(last_connected_)) outcome_.state = std::string{*s};
    }
  }
}

void run_program_here(const ProgramRunSetup& setup, const std::function<void(const ProgramOutcome&)>& deliver) {
  EventLoop loop;
  TraceBus bus{loop};
  {
    ProgramWorld world{setup, loop, bus};
    while (!world.program_done() && world.may_run(loop.next_event_time())) loop.run_next();
    world.note_still_waiting();
    deliver(world.outcome());
  }
}

}  // namespace netstep::lab
