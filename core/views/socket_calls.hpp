#pragma once
// Every socket call as it returned (socket_call events): the call, the
// socket, the return as the personality spells it, the error's name and
// number taken from it, the rule that decided it and the event that
// caused it (the RST, the ICMP error, the timer), described as the
// narrative describes it. The trace does not carry a call's arguments.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "trace/trace_event.hpp"

namespace netstep::views {

class SocketCalls {
 public:
  struct Call {
    std::uint64_t event = 0;
    Instant time;
    std::string host;
    std::string call;
    int fd = -1;
    std::string result;               // "-1, errno ECONNREFUSED (111)"
    std::string error;                // "ECONNREFUSED"; empty on success
    std::optional<long> error_number;  // 111
    std::string rule;
    std::optional<std::uint64_t> cause_event;
    std::string cause;  // the causing event in words, if it was seen
  };

  void apply(const TraceEvent& event);
  void reset();
  [[nodiscard]] const std::vector<Call>& calls() const { return calls_; }
  //   #31 0.000400 client connect(fd 3) = -1, errno ECONNREFUSED (111)
  //       error ECONNREFUSED (111)
  //       rule: T02: the peer answered the SYN with RST
  //       caused by #29: server tcp: received [RST,ACK] ...
  [[nodiscard]] std::string text() const;

 private:
  std::vector<Call> calls_;
  std::map<std::uint64_t, std::string> causes_;  // the events a call may name as its cause, in words
};

// The error's name and number in a call's result: "-1, errno ECONNREFUSED
// (111)" -> ECONNREFUSED, 111; "-128 ENOTCONN" -> ENOTCONN; "0" -> nothing.
struct ErrorOf {
  std::string name;
  std::optional<long> number;
};
[[nodiscard]] ErrorOf error_of(std::string_view result);

}  // namespace netstep::views
