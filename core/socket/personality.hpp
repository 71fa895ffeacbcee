#pragma once
// Personality: how one system spells the outcome of a socket call. The
// stack computes a canonical Errc; the personality gives the value the call
// returns, the error's name and number, and where that number comes from.
// The numbering is data (personality.cpp), one table per system, with the
// provenance of each entry; semantic differences (which error a situation
// gives) are decided elsewhere, in the socket layer's policy hooks.
//
// Sources: ../shared/reference/connect-matrix.md (errno table; Linux
// measured), connect-source.md (FreeBSD sys/errno.h, Winsock's error-code
// list, FreeRTOS-Kernel projdefs.h, TargetTCP: names only).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "socket/errc.hpp"
#include "tcp/syn_schedule.hpp"

namespace netstep::socket {

// The five systems (the same identifiers the SYN schedules use).
using PersonalityId = tcp::SynPersonality;
using tcp::Provenance;

enum class ReturnConvention : std::uint8_t {
  MinusOneAndErrno,         // -1, the code in errno (Linux, FreeBSD, TargetTCP)
  SocketErrorAndLastError,  // SOCKET_ERROR (-1), the code from WSAGetLastError() (Winsock)
  NegativeCode,             // the code itself, negated: -pdFREERTOS_ERRNO_* (FreeRTOS+TCP has no errno)
};

struct ErrorCode {
  std::string_view name;      // as the system spells it: "ECONNREFUSED", "WSAECONNREFUSED", "pdFREERTOS_ERRNO_ETIMEDOUT"
  std::optional<int> number;  // positive; unknown where no public header gives it (TargetTCP)
  Provenance provenance = Provenance::Documented;
  std::string_view source;    // the header or document the number comes from
};

// What a failed call hands back, in the system's convention.
struct FailedReturn {
  ReturnConvention convention = ReturnConvention::MinusOneAndErrno;
  int value = -1;                     // -1, SOCKET_ERROR (-1) or -code
  std::optional<ErrorCode> code;      // in errno / WSAGetLastError(); for FreeRTOS, the code value returns
  [[nodiscard]] std::string describe() const;  // "-1, errno ECONNREFUSED (111)", "-116 (-pdFREERTOS_ERRNO_ETIMEDOUT)"
};

class Personality {
 public:
  [[nodiscard]] static const Personality& get(PersonalityId id);
  // "linux", "freebsd", "winsock", "freertos", "targettcp"; nullptr if unknown.
  [[nodiscard]] static const Personality* find(std::string_view name);

  [[nodiscard]] PersonalityId id() const { return id_; }
  [[nodiscard]] std::string_view name() const;
  [[nodiscard]] ReturnConvention convention() const { return convention_; }

  // This system's code for `e`, or nullopt if it defines none (FreeRTOS has
  // no ECONNREFUSED; Winsock no EAGAIN distinct from WSAEWOULDBLOCK ...).
  [[nodiscard]] std::optional<ErrorCode> code(Errc e) const;
  // The return of a call failing with `e`. A code the system lacks is
  // still reported by its POSIX name, with no number, marked Assumed.
  [[nodiscard]] FailedReturn failure(Errc e) const;

 private:
  Personality(PersonalityId id, ReturnConvention convention) : id_{id}, convention_{convention} {}
  PersonalityId id_;
  ReturnConvention convention_;
};

}  // namespace netstep::socket
