#include "netstep_probes.hpp"

#include <utility>

namespace netstep::interop {

namespace {

const Ipv4Address loopback{127, 0, 0, 1};

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

ProbeRun connect_probe(Lab& lab, const RunKey& key, Endpoint destination, const ConnectOptions& options) {
  using socket::SocketOption;
  ProbeRun run = new_run(key, "blocking TCP connect to " + destination.to_string());
  const int fd = lab.socket();
  if (options.syn_count) lab.setsockopt(fd, SocketOption::SynCount, *options.syn_count);
  if (options.user_timeout_ms) lab.setsockopt(fd, SocketOption::UserTimeout, *options.user_timeout_ms);
  if (options.send_timeout_ms) lab.setsockopt(fd, SocketOption::SendTimeout, *options.send_timeout_ms);
  if (options.receive_timeout_ms) lab.setsockopt(fd, SocketOption::ReceiveTimeout, *options.receive_timeout_ms);
  if (options.alarm) {
    lab.signal_at(std::chrono::milliseconds{options.alarm->after_ms}, fd, options.alarm->sa_restart);
  }
  const auto still_pending = [](std::string_view e) { return e == "EINPROGRESS" || e == "EINTR" || e == "EALREADY"; };

  run.calls.push_back(lab.connect(fd, destination, "connect#1"));
  if (!options.follow_up) {
    run.calls.push_back(lab.so_error(fd, "getsockopt(SO_ERROR)after#1"));
  } else if (still_pending(error_of(run.calls.back()))) {
    if (options.nonblocking_follow_up) lab.set_nonblocking(fd, true);
    run.calls.push_back(lab.connect(fd, destination, "connect#2"));
    if (still_pending(error_of(run.calls.back()))) {
      run.calls.push_back(lab.poll(fd, "poll", std::chrono::seconds{options.poll_limit_seconds}));
    }
    run.calls.push_back(lab.so_error(fd, "getsockopt(SO_ERROR)#1"));
    run.calls.push_back(lab.so_error(fd, "getsockopt(SO_ERROR)#2"));
    lab.set_nonblocking(fd, true);  // the probe never blocks a third time
    run.calls.push_back(lab.connect(fd, destination, "connect#3(nonblock)"));
  }
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
    // Calls made back to back while the attempt is pending all race its
    // answer (connect#3 EINPROGRESS, #4 EALREADY, #5 already the refusal).
    const bool pending = error_of(call) == "EINPROGRESS" || (attempt_just_started && error_of(call) == "EALREADY");
    attempt_just_started = pending;
    run.calls.push_back(call);
    return std::string{error_of(call)};
  };
  // SO_ERROR read back to back with the calls around it races the answer
  // too (connect#3, SO_ERROR 0, then connect#4 already ENETUNREACH): a
  // read that found no error leaves the next call racing.
  const auto so_error = [&](std::string name) {
    std::string note;
    if (attempt_just_started) {
      const CallRecord* theirs = find_call(kernel, name);
      if (theirs != nullptr && theirs->so_error.value_or("0") != "0") {
        lab.settle(fd);
        note = "race (T10): the kernel's answer arrived before this call; netstep let its network answer first";
      }
    }
    CallRecord call = lab.so_error(fd, std::move(name));
    call.note = std::move(note);
    attempt_just_started = attempt_just_started && call.so_error.value_or("0") == "0";
    run.calls.push_back(call);
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
    // cm_args: cm_listener("127.0.0.1", port 0, backlog 4)
    case ArgumentCase::Descriptor::ListeningSocket: fd = lab.listening_socket(Endpoint{loopback, Port{}}, 4); break;
    case ArgumentCase::Descriptor::MinusOne: fd = -1; break;
    case ArgumentCase::Descriptor::ClosedNumber1000: fd = 1000; break;
  }
  if (c.broadcast_option) lab.setsockopt(fd, socket::SocketOption::Broadcast, 1);
  run.calls.push_back(lab.connect(fd, c.arguments, "connect"));
  if (fd >= 0 && fd != 1000) lab.close(fd);
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
  ProbeRun bind_any_port = new_run(RunKey{"ephemeral_tcp:bind_port0_when_exhausted"}, "");
  const int unbound = lab.socket();
  bind_any_port.calls.push_back(lab.bind(unbound, Endpoint{loopback, Port{}}, "bind"));
  lab.close(unbound);
  return {to_first, to_other, bind_any_port};
}

std::vector<ProbeRun> address_in_use_probe(Lab& lab, int occurrence) {
  using socket::SocketOption;
  const int first_listener = lab.listening_socket(Endpoint{loopback, Port{}}, 16);
  const int other_listener = lab.listening_socket(Endpoint{loopback, Port{}}, 16);
  const Endpoint to_first = lab.local_name(first_listener);
  const Endpoint to_other = lab.local_name(other_listener);
  // free_port(): a port bind() picks, given back at once.
  const int finder = lab.socket();
  lab.bind(finder, Endpoint{loopback, Port{}}, "bind");
  const Port shared = lab.local_name(finder).port;
  lab.close(finder);

  std::vector<ProbeRun> runs;
  const auto record = [&](std::string label, CallRecord call) {
    ProbeRun run = new_run(RunKey{std::move(label), occurrence}, "");
    run.calls.push_back(std::move(call));
    runs.push_back(std::move(run));
  };
  const auto bound = [&](std::string label, Ipv4Address address, bool reuse) {
    const int fd = lab.socket();
    if (reuse) lab.setsockopt(fd, SocketOption::ReuseAddress, 1);
    record(std::move(label), lab.bind(fd, Endpoint{address, shared}, "bind"));
    return fd;
  };
  const int s1 = bound("reuseaddr_4tuple:s1", loopback, true);
  const int s2 = bound("reuseaddr_4tuple:s2", loopback, true);
  record("reuseaddr_4tuple:s1_to_L1", lab.connect(s1, to_first, "connect"));
  record("reuseaddr_4tuple:s2_to_L1_same_4tuple", lab.connect(s2, to_first, "connect"));
  record("reuseaddr_4tuple:s2_to_L2_other_peer", lab.connect(s2, to_other, "connect"));
  lab.close(bound("no_reuseaddr_second_bind", loopback, false));
  const int s4 = bound("reuseaddr_wildcard:s4", Ipv4Address::any(), true);
  record("reuseaddr_wildcard:s4_to_L1_same_4tuple", lab.connect(s4, to_first, "connect"));
  for (const int fd : {s1, s2, s4, first_listener, other_listener}) lab.close(fd);
  return runs;
}

}  // namespace netstep::interop
