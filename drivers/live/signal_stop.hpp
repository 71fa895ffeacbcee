#pragma once
// Ctrl-C (SIGINT) and SIGTERM as a clean stop: while a SignalStop exists, the
// signals write a byte to a self-pipe the live loop polls, so the run ends
// between two events and the CLI still writes its capture. The previous
// handlers come back on destruction. One at a time per process.
#include <atomic>

namespace netstep::live {

class SignalStop {
 public:
  SignalStop();
  ~SignalStop();
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

  // Readable once a signal arrived.
  [[nodiscard]] int fd() const { return pipe_[0]; }
  // True once a signal arrived (also reads the pipe empty).
  [[nodiscard]] bool raised();
  // The signal number that arrived, 0 if none.
  [[nodiscard]] int signal_number() const;

 private:
  int pipe_[2] = {-1, -1};
  bool raised_ = false;
};

}  // namespace netstep::live
