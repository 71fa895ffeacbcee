#include "netstep_probes.hpp"

#include <utility>

namespace netstep::interop {

namespace {

ProbeRun new_run(const RunKey& key, std::string description) {
  ProbeRun run;
  run.label = key.label;
  run.occurrence = key.occurrence;
  run.description = std::move(description);
  return run;
}

// The errno a probe keeps from a connect() (0 on success).
std::string_view error_of(const CallRecord& c) { return c.ret < 0 ? std::string_view{c.error} : std::string_view{}; }

const CallRecord* find_call(const ProbeRun* run, std::string_view name) {
  if (run == nullptr) return nullptr;
  for (const CallRecord& c : run->calls) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

ProbeRun blocking_connect_probe(Lab& lab, const RunKey& key, Endpoint destination) {
  ProbeRun run = new_run(key, "blocking TCP connect to " + destination.to_string());
  const int fd = lab.socket();
  run.calls.push_back(lab.connect(fd, destination, "connect#1"));
  run.calls.push_back(lab.so_error(fd, "getsockopt(SO_ERROR)after#1"));
  lab.close(fd);
  run.wire = lab.wire_towards(destination);
  run.wire_captured = true;
  return run;
}

ProbeRun nonblocking_probe(Lab& lab, const RunKey& key, Endpoint destination, NonblockMode mode,
                           int poll_limit_seconds, const ProbeRun* kernel) {
  const bool soerror = mode == NonblockMode::SoError;
  ProbeRun run = new_run(key, "nonblocking TCP connect to " + destination.to_string() +
                                  (soerror ? " mode=soerror" : " mode=reconnect"));
  const Duration poll_limit = std::chrono::seconds{poll_limit_seconds};
  const int fd = lab.socket();
  lab.set_nonblocking(fd, true);
  bool attempt_just_started = false;
  const auto connect = [&](std::string name) {
    std::string note;
    if (attempt_just_started) {
      const CallRecord* theirs = find_call(kernel, name);
      if (theirs != nullptr && error_of(*theirs) != "EALREADY") {
        lab.settle(fd);
        note = "race (T10): the kernel's answer arrived before this call; netstep let its network answer first";
      }
    }
    CallRecord call = lab.connect(fd, destination, std::move(name));
    call.note = std::move(note);
    attempt_just_started = error_of(call) == "EINPROGRESS";
    run.calls.push_back(call);
    return std::string{error_of(call)};
  };
  const auto so_error = [&](std::string name) {
    run.calls.push_back(lab.so_error(fd, std::move(name)));
    attempt_just_started = false;
  };
  const auto poll = [&] {
    run.calls.push_back(lab.poll(fd, "poll(POLLOUT)", poll_limit));
    attempt_just_started = false;
  };

  std::string e = connect("connect#1");
  if (e != "EINPROGRESS" && !e.empty()) {
    lab.close(fd);
    run.wire = lab.wire_towards(destination);
    run.wire_captured = true;
    return run;
  }
  connect("connect#2(immediate)");
  poll();
  if (soerror) {
    so_error("getsockopt(SO_ERROR)#1");
    so_error("getsockopt(SO_ERROR)#2");
    connect("connect#3");
    connect("connect#4");
    e = connect("connect#5");
  } else {
    connect("connect#3(no SO_ERROR read)");
    so_error("getsockopt(SO_ERROR)#1");
    connect("connect#4");
    e = connect("connect#5");
  }
  if (e == "EINPROGRESS" || e == "EALREADY") {
    poll();
    lab.settle(fd);  // the kernel probe waits on TCP_INFO when poll() returned during SYN_SENT
    so_error("getsockopt(SO_ERROR)(final)");
    connect("connect#6");
  }
  lab.close(fd);
  run.wire = lab.wire_towards(destination);
  run.wire_captured = true;
  return run;
}

ProbeRun argument_probe(Lab& lab, const RunKey& key, const ArgumentCase& c) {
  ProbeRun run = new_run(key, "");
  int fd = -1;
  switch (c.descriptor) {
    case ArgumentCase::Descriptor::FreshSocket: fd = lab.socket(); break;
    case ArgumentCase::Descriptor::MinusOne: fd = -1; break;
    case ArgumentCase::Descriptor::ClosedNumber1000: fd = 1000; break;
  }
  run.calls.push_back(lab.connect(fd, c.arguments, "connect"));
  if (c.descriptor == ArgumentCase::Descriptor::FreshSocket) lab.close(fd);
  return run;
}

std::vector<ProbeRun> ephemeral_probe(Lab& lab, Endpoint first_listener, Endpoint other_listener) {
  ProbeRun to_first = new_run(RunKey{"ephemeral_tcp:to_L1"}, "");
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int fd = lab.socket();
    to_first.calls.push_back(lab.connect(fd, first_listener, "connect"));
    if (to_first.calls.back().ret < 0) {
      lab.close(fd);
      break;
    }
  }
  ProbeRun to_other = new_run(RunKey{"ephemeral_tcp:to_L2_other_peer"}, "");
  const int fd = lab.socket();
  to_other.calls.push_back(lab.connect(fd, other_listener, "connect"));
  return {to_first, to_other};
}

}  // namespace netstep::interop
