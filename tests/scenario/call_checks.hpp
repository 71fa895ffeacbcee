#pragma once
// Checks the conformance suites make on a CallResult: a failure exactly as
// the personality spells it, a success, a rule that does not claim a
// manual where the matrix says "doc silent".
#include <catch2/catch.hpp>

#include <optional>
#include <string_view>

#include "socket/socket_api.hpp"

namespace netstep::socket::checks {

// The failed return in the personality's convention: -1 and errno (Linux,
// FreeBSD, TargetTCP), SOCKET_ERROR and WSAGetLastError() (Winsock), the
// negative code itself (FreeRTOS+TCP). `number` nullopt: not public.
inline void check_fail(const CallResult& r, PersonalityId p, Errc e, std::string_view name, std::optional<int> number) {
  INFO(r.describe() << " -- " << r.rule << " (" << to_string(r.provenance) << ")");
  REQUIRE(r.error);
  CHECK(*r.error == e);
  CHECK(r.convention == Personality::get(p).convention());
  REQUIRE(r.code);
  CHECK(r.code->name == name);
  CHECK(r.code->number == number);
  if (p == PersonalityId::FreeRtos) {
    REQUIRE(number);
    CHECK(r.value == -*number);
  } else {
    CHECK(r.value == -1);  // -1, or SOCKET_ERROR (-1)
  }
}

inline void check_ok(const CallResult& r, int value = 0) {
  INFO(r.describe() << " -- " << r.rule);
  CHECK(r.ok());
  CHECK(r.value == value);
}

// Where the matrix says "doc silent", the rule must not claim a manual or a
// measurement.
inline bool not_from_a_manual(Provenance p) {
  return p == Provenance::Assumed || p == Provenance::DerivedFromSource || p == Provenance::Observed;
}
inline void check_doc_silent(const CallResult& r) {
  INFO(r.describe() << " -- " << r.rule << " (" << to_string(r.provenance) << ")");
  CHECK(not_from_a_manual(r.provenance));
}

}  // namespace netstep::socket::checks
