#pragma once
// The handoff between a student's program and the simulation: the program
// runs lab_main() on a thread of its own, and each ns_* call it makes
// (netstep_lab.h) is handed to the simulation's thread, which makes the call
// in a Task on the program's host and hands the result back. Exactly one of
// the two threads runs at any moment, so a run is as deterministic as a
// scenario: the program's computing takes no virtual time, and nothing in
// the simulation moves while it computes.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "netstep_lab.h"
#include "socket/personality.hpp"

namespace netstep::lab {

// A call the program made, as the simulation needs it. Pointers point into
// the program's memory: the simulation reads and writes them while the
// program waits for the reply, never after.
struct ProgramCall {
  enum class Kind : std::uint8_t {
    Socket, Bind, Listen, Accept, Connect, SetNonblocking, SetSockOpt, GetSockOpt, Send, Recv, SendTo, RecvFrom,
    Poll, Shutdown, Close, Sleep, Now, Report, Log,
    Returned,  // lab_main returned `fd` (the value)
    Stopped,   // the program was told to stop and did
    Threw,     // lab_main threw a C++ exception (text: what)
  };
  Kind kind = Kind::Returned;
  int fd = -1;
  int a = 0;  // backlog, how, option, on, flags, milliseconds, timeout
  int b = 0;  // setsockopt's value
  std::string text;   // an address; a report's key; a log line
  std::string text2;  // a report's value
  const void* data = nullptr;
  void* buffer = nullptr;
  unsigned long length = 0;
  char* out_text = nullptr;  // accept()'s peer, recvfrom()'s sender
  unsigned long out_size = 0;
  ns_pollfd* fds = nullptr;
  unsigned long count = 0;
  int* out_value = nullptr;  // getsockopt()
};

struct ProgramReply {
  long long value = 0;
  std::optional<int> error_number;  // errno / WSAGetLastError() after a failure (not on freertos)
};

// lab_main, loaded from the student's shared object.
using LabMain = int (*)(const char*);

// The two threads' meeting point. Shared by the simulation and the program
// thread, so a program that never comes back (an endless loop without
// calls) can be left behind safely.
class ProgramHandoff {
 public:
  ProgramHandoff(LabMain lab_main, std::string argument, socket::PersonalityId personality,
                 std::shared_ptr<void> keep_alive);
  ~ProgramHandoff();
  ProgramHandoff(const ProgramHandoff&) = delete;
  ProgramHandoff& operator=(const ProgramHandoff&) = delete;

  // The simulation's side: gives the program the reply to its last call
  // (nothing the first time, which starts lab_main) and waits, until
  // `wall_deadline` in real time, for its next call. nullopt: the program
  // did not come back in time.
  std::optional<ProgramCall> resume(const ProgramReply& reply, std::chrono::steady_clock::time_point wall_deadline);
  // Tells a program waiting for a reply to stop (its ns_* call unwinds
  // lab_main) and waits a moment for the thread to end; a program that does
  // not end is left running on its own (detached).
  void stop();
  [[nodiscard]] bool started() const { return thread_.joinable(); }

  struct Shared;  // the program thread's side reads it too (program_handoff.cpp)

 private:
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
  bool finished_ = false;
};

// The personality a program thread's ns_* calls answer as (for the calls
// that need no simulation: ns_errno, ns_error_number ...).
[[nodiscard]] int error_number_for(socket::PersonalityId personality, std::string_view posix_name);

}  // namespace netstep::lab
