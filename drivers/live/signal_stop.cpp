#include "live/signal_stop.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace netstep::live {

namespace {

// A signal handler may touch only these.
volatile sig_atomic_t write_end = -1;
volatile sig_atomic_t last_signal = 0;
struct sigaction previous_int {};
struct sigaction previous_term {};

void on_signal(int number) {
  const int saved = errno;
  last_signal = number;
  const char byte = 1;
  if (write_end >= 0) [[maybe_unused]] auto n = write(write_end, &byte, 1);
  errno = saved;
}

}  // namespace

SignalStop::SignalStop() {
  if (pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("cannot create the signal pipe");
  write_end = pipe_[1];
  last_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

SignalStop::~SignalStop() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  write_end = -1;
  close(pipe_[0]);
  close(pipe_[1]);
}

bool SignalStop::raised() {
  char buffer[16];
  while (read(pipe_[0], buffer, sizeof buffer) > 0) raised_ = true;
  return raised_;
}

int SignalStop::signal_number() const { return static_cast<int>(last_signal); }

}  // namespace netstep::live
