#include "program_run.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace netstep::lab {

using nlohmann::json;

std::string outcome_to_json(const ProgramOutcome& o) {
  json j;
  j["returned"] = o.returned;
  j["value"] = o.value;
  j["returned_at_us"] = o.returned_at_us;
  j["stopped"] = o.stopped;
  if (o.state) j["state"] = *o.state;
  j["reports"] = json::array();
  for (const auto& [k, v] : o.reports) j["reports"].push_back({k, v});
  j["steps"] = json::array();
  for (const ProgramStep& s : o.steps) {
    json step{{"event", s.event}, {"call", s.call}, {"text", s.text}, {"result", s.result}, {"at_us", s.at_us}};
    if (s.error) step["error"] = std::string{socket::posix_name(*s.error)};
    j["steps"].push_back(std::move(step));
  }
  return j.dump();
}

ProgramOutcome outcome_from_json(const std::string& text) {
  const json j = json::parse(text);
  ProgramOutcome o;
  o.returned = j.at("returned").get<bool>();
  o.value = j.at("value").get<int>();
  o.returned_at_us = j.at("returned_at_us").get<std::int64_t>();
  o.stopped = j.at("stopped").get<std::string>();
  if (j.contains("state")) o.state = j["state"].get<std::string>();
  for (const json& r : j.at("reports")) o.reports.emplace_back(r[0].get<std::string>(), r[1].get<std::string>());
  for (const json& s : j.at("steps")) {
    ProgramStep step;
    step.event = s.at("event").get<std::uint64_t>();
    step.call = s.at("call").get<std::string>();
    step.text = s.at("text").get<std::string>();
    step.result = s.at("result").get<std::string>();
    step.at_us = s.at("at_us").get<std::int64_t>();
    if (s.contains("error")) {
      socket::Errc e{};
      if (socket::parse_errc(s["error"].get<std::string>(), e)) step.error = e;
    }
    o.steps.push_back(std::move(step));
  }
  return o;
}

namespace {

std::string signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGTRAP: return "SIGTRAP";
    case SIGPIPE: return "SIGPIPE";
    default: return "signal " + std::to_string(sig);
  }
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

std::string seconds_of(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

}  // namespace

ProgramOutcome run_program_forked(ProgramRunSetup setup, const std::filesystem::path& shared_object) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error{std::string{"pipe(): "} + std::strerror(errno)};
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error{std::string{"fork(): "} + std::strerror(errno)};
  if (child == 0) {
    ::close(fds[0]);
    try {
      setup.library = ProgramLibrary::load(shared_object);
      run_program_here(setup, [&](const ProgramOutcome& outcome) {
        write_all(fds[1], outcome_to_json(outcome));
        ::_exit(0);  // nothing to take down: the parent has what it needs
      });
    } catch (const std::exception& e) {
      ProgramOutcome o;
      o.stopped = e.what();
      write_all(fds[1], outcome_to_json(o));
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  // The child stops a program that does not come back within the wall
  // limit itself; this bound is for a child that cannot even do that.
  const auto deadline = std::chrono::steady_clock::now() + setup.wall_limit + std::chrono::seconds{5};
  std::string text;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{};
    p.fd = fds[0];
    p.events = POLLIN;
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char chunk[8192];
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  ProgramOutcome outcome;
  if (timed_out) {
    outcome.stopped = "did not return within " + seconds_of(setup.wall_limit) + " of real time";
  } else if (WIFSIGNALED(status)) {
    outcome.stopped = "killed by " + signal_name(WTERMSIG(status));
  } else if (text.empty()) {
    outcome.stopped = "ended the process (exit(" + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                      ")) instead of returning from lab_main";
  } else {
    try {
      outcome = outcome_from_json(text);
    } catch (const std::exception& e) {
      outcome.stopped = std::string{"left a broken result behind ("} + e.what() + ")";
    }
  }
  return outcome;
}

}  // namespace netstep::lab
