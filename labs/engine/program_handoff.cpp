#include "program_handoff.hpp"

#include <cstring>
#include <exception>
#include <map>

#include "socket/errc.hpp"

namespace netstep::lab {

using socket::Errc;
using socket::Personality;
using socket::PersonalityId;

struct ProgramHandoff::Shared {
  std::mutex mutex;
  std::condition_variable changed;
  bool program_turn = false;  // whose turn it is: exactly one thread runs
  bool stop = false;          // the program's next wake-up unwinds it
  bool finished = false;      // the program thread is done with lab_main
  ProgramCall call;
  ProgramReply reply;
  LabMain lab_main = nullptr;
  std::string argument;
  PersonalityId personality = PersonalityId::Linux;
  std::shared_ptr<void> keep_alive;  // the loaded library: it must outlive a thread left behind
};

namespace {

// Thrown from an ns_* call on a program told to stop: unwinds lab_main
// (student C code is compiled with -fexceptions, and x86-64 and arm64 C
// code has unwind tables by default), caught where the thread began.
struct ProgramStopped {};

// The program thread's own state: which handoff its calls go to, and the
// last error (ns_errno()).
struct ProgramThread {
  ProgramHandoff::Shared* shared = nullptr;
  int last_error = 0;
  std::map<int, std::string> error_names;  // ns_error_name()'s strings, stable for the run
};
thread_local ProgramThread* current_program = nullptr;

}  // namespace

// Hands one call to the simulation and waits for its reply (program thread).
static ProgramReply hand_over(ProgramCall call) {
  ProgramThread* self = current_program;
  if (self == nullptr) return ProgramReply{-1, std::nullopt};  // called outside a run
  ProgramHandoff::Shared& s = *self->shared;
  std::unique_lock lock{s.mutex};
  s.call = std::move(call);
  s.program_turn = false;
  s.changed.notify_all();
  s.changed.wait(lock, [&] { return s.program_turn; });
  if (s.stop) throw ProgramStopped{};
  if (s.reply.error_number) self->last_error = *s.reply.error_number;
  return s.reply;
}

ProgramHandoff::ProgramHandoff(LabMain lab_main, std::string argument, PersonalityId personality,
                               std::shared_ptr<void> keep_alive)
    : shared_{std::make_shared<Shared>()} {
  shared_->lab_main = lab_main;
  shared_->argument = std::move(argument);
  shared_->personality = personality;
  shared_->keep_alive = std::move(keep_alive);
}

ProgramHandoff::~ProgramHandoff() { stop(); }

std::optional<ProgramCall> ProgramHandoff::resume(const ProgramReply& reply,
                                                  std::chrono::steady_clock::time_point wall_deadline) {
  if (!thread_.joinable()) {
    // The thread starts now and waits for its turn, which is given below.
    thread_ = std::thread{[shared = shared_] {
      ProgramThread self;
      self.shared = shared.get();
      current_program = &self;
      {
        std::unique_lock lock{shared->mutex};
        shared->changed.wait(lock, [&] { return shared->program_turn; });
        if (shared->stop) {
          shared->finished = true;
          shared->program_turn = false;
          shared->changed.notify_all();
          return;
        }
      }
      ProgramCall last;
      try {
        last.fd = shared->lab_main(shared->argument.c_str());
        last.kind = ProgramCall::Kind::Returned;
      } catch (const ProgramStopped&) {
        last.kind = ProgramCall::Kind::Stopped;
      } catch (const std::exception& e) {
        last.kind = ProgramCall::Kind::Threw;
        last.text = e.what();
      } catch (...) {
        last.kind = ProgramCall::Kind::Threw;
        last.text = "an exception that is not a std::exception";
      }
      current_program = nullptr;
      std::unique_lock lock{shared->mutex};
      shared->call = std::move(last);
      shared->finished = true;
      shared->program_turn = false;
      shared->changed.notify_all();
    }};
  }
  std::unique_lock lock{shared_->mutex};
  if (shared_->finished) return std::nullopt;
  shared_->reply = reply;
  shared_->program_turn = true;
  shared_->changed.notify_all();
  if (!shared_->changed.wait_until(lock, wall_deadline, [&] { return !shared_->program_turn; })) return std::nullopt;
  if (shared_->finished) finished_ = true;
  return shared_->call;
}

void ProgramHandoff::stop() {
  if (!thread_.joinable()) return;
  bool ended = false;
  {
    std::unique_lock lock{shared_->mutex};
    if (!shared_->finished) {
      shared_->stop = true;
      shared_->program_turn = true;
      shared_->changed.notify_all();
    }
    ended = shared_->changed.wait_for(lock, std::chrono::seconds{2}, [&] { return shared_->finished; });
  }
  if (ended) {
    thread_.join();
  } else {
    thread_.detach();  // computing for ever without a call: it keeps `shared_` (and the library) alive
  }
}

int error_number_for(PersonalityId personality, std::string_view posix_name) {
  Errc e{};
  if (!socket::parse_errc(posix_name, e)) return -1;
  const auto code = Personality::get(personality).code(e);
  if (!code) return -1;
  if (code->number) return *code->number;
  // TargetTCP's manual names its errors but publishes no numbers: netstep
  // stands in Linux's (docs/lab-programs.md).
  const auto linux_code = Personality::get(PersonalityId::Linux).code(e);
  return linux_code && linux_code->number ? *linux_code->number : -1;
}

}  // namespace netstep::lab

// --- the C API a lab program calls (netstep_lab.h) -----------------------------

using netstep::lab::ProgramCall;
using netstep::lab::current_program;
using netstep::lab::hand_over;
using Kind = ProgramCall::Kind;

namespace {
ProgramCall make(Kind kind, int fd = -1, int a = 0) {
  ProgramCall c;
  c.kind = kind;
  c.fd = fd;
  c.a = a;
  return c;
}
int as_int(const netstep::lab::ProgramReply& r) { return static_cast<int>(r.value); }
}  // namespace

extern "C" {

int ns_socket(int type) { return as_int(hand_over(make(Kind::Socket, -1, type))); }
int ns_bind(int fd, const char* address) {
  ProgramCall c = make(Kind::Bind, fd);
  c.text = address != nullptr ? address : "";
  return as_int(hand_over(std::move(c)));
}
int ns_listen(int fd, int backlog) { return as_int(hand_over(make(Kind::Listen, fd, backlog))); }
int ns_accept(int fd, char* peer, unsigned long peer_size) {
  ProgramCall c = make(Kind::Accept, fd);
  c.out_text = peer;
  c.out_size = peer_size;
  return as_int(hand_over(std::move(c)));
}
int ns_connect(int fd, const char* address) {
  ProgramCall c = make(Kind::Connect, fd);
  c.text = address != nullptr ? address : "";
  return as_int(hand_over(std::move(c)));
}
int ns_set_nonblocking(int fd, int on) { return as_int(hand_over(make(Kind::SetNonblocking, fd, on))); }
int ns_setsockopt(int fd, int option, int value) {
  ProgramCall c = make(Kind::SetSockOpt, fd, option);
  c.b = value;
  return as_int(hand_over(std::move(c)));
}
int ns_getsockopt(int fd, int option, int* value) {
  ProgramCall c = make(Kind::GetSockOpt, fd, option);
  c.out_value = value;
  return as_int(hand_over(std::move(c)));
}
long ns_send(int fd, const void* data, unsigned long length, int flags) {
  ProgramCall c = make(Kind::Send, fd, flags);
  c.data = data;
  c.length = length;
  return static_cast<long>(hand_over(std::move(c)).value);
}
long ns_recv(int fd, void* buffer, unsigned long length, int flags) {
  ProgramCall c = make(Kind::Recv, fd, flags);
  c.buffer = buffer;
  c.length = length;
  return static_cast<long>(hand_over(std::move(c)).value);
}
long ns_sendto(int fd, const void* data, unsigned long length, int flags, const char* to) {
  ProgramCall c = make(Kind::SendTo, fd, flags);
  c.data = data;
  c.length = length;
  c.text = to != nullptr ? to : "";
  return static_cast<long>(hand_over(std::move(c)).value);
}
long ns_recvfrom(int fd, void* buffer, unsigned long length, int flags, char* from, unsigned long from_size) {
  ProgramCall c = make(Kind::RecvFrom, fd, flags);
  c.buffer = buffer;
  c.length = length;
  c.out_text = from;
  c.out_size = from_size;
  return static_cast<long>(hand_over(std::move(c)).value);
}
int ns_poll(struct ns_pollfd* fds, unsigned long count, int timeout_ms) {
  ProgramCall c = make(Kind::Poll, -1, timeout_ms);
  c.fds = fds;
  c.count = count;
  return as_int(hand_over(std::move(c)));
}
int ns_shutdown(int fd, int how) { return as_int(hand_over(make(Kind::Shutdown, fd, how))); }
int ns_close(int fd) { return as_int(hand_over(make(Kind::Close, fd))); }
void ns_sleep_ms(int ms) { (void)hand_over(make(Kind::Sleep, -1, ms)); }

int ns_errno(void) { return current_program != nullptr ? current_program->last_error : 0; }
const char* ns_personality(void) {
  if (current_program == nullptr) return "";
  // Personality names are static text, but not necessarily terminated: keep a copy.
  static thread_local std::string name;
  name = std::string{netstep::socket::Personality::get(current_program->shared->personality).name()};
  return name.c_str();
}
long long ns_now_us(void) { return hand_over(make(Kind::Now)).value; }
int ns_error_number(const char* name) {
  if (current_program == nullptr || name == nullptr) return -1;
  return netstep::lab::error_number_for(current_program->shared->personality, name);
}
const char* ns_error_name(int number) {
  if (current_program == nullptr) return "?";
  if (number < 0) number = -number;
  auto& names = current_program->error_names;
  if (const auto it = names.find(number); it != names.end()) return it->second.c_str();
  const netstep::socket::PersonalityId p = current_program->shared->personality;
  for (const netstep::socket::Errc e : netstep::socket::all_errcs) {
    if (netstep::lab::error_number_for(p, netstep::socket::posix_name(e)) != number) continue;
    const auto code = netstep::socket::Personality::get(p).code(e);
    if (!code) continue;
    return names.emplace(number, std::string{code->name}).first->second.c_str();
  }
  return "?";
}
void ns_report(const char* key, const char* value) {
  ProgramCall c = make(Kind::Report);
  c.text = key != nullptr ? key : "";
  c.text2 = value != nullptr ? value : "";
  (void)hand_over(std::move(c));
}
void ns_log(const char* text) {
  ProgramCall c = make(Kind::Log);
  c.text = text != nullptr ? text : "";
  (void)hand_over(std::move(c));
}

}  // extern "C"
