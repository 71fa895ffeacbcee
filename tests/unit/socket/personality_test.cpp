// The five personalities' numbering and return conventions, checked against
// the errno table of ../shared/reference/connect-matrix.md (and
// connect-source.md for the codes that table does not list).
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "socket/personality.hpp"

using namespace netstep::socket;

namespace {

struct Row {
  Errc errc;
  std::optional<int> linux_number, freebsd_number, winsock_number, freertos_number;
};

// connect-matrix.md, "Errno numbers used below" (Winsock codes in
// parentheses there are numbered too; "–" is nullopt).
const Row matrix_rows[] = {
    {Errc::Interrupted, 4, 4, 10004, 4},
    {Errc::BadDescriptor, 9, 9, 10009, 9},
    {Errc::TryAgain, 11, 35, std::nullopt, 11},
    {Errc::WouldBlock, 11, 35, 10035, 11},
    {Errc::PermissionDenied, 13, 13, 10013, 13},
    {Errc::BadAddress, 14, 14, 10014, 14},
    {Errc::InvalidArgument, 22, 22, 10022, 22},
    {Errc::NotASocket, 88, 38, 10038, std::nullopt},
    {Errc::DestinationRequired, 89, 39, 10039, std::nullopt},
    {Errc::ProtocolNotAvailable, 92, 42, 10042, 109},
    {Errc::NotSupported, 95, 45, 10045, 95},
    {Errc::AddressInUse, 98, 48, 10048, 112},
    {Errc::AddressNotAvailable, 99, 49, 10049, 125},
    {Errc::NetworkUnreachable, 101, 51, 10051, std::nullopt},
    {Errc::ConnectionAborted, 103, 53, 10053, std::nullopt},
    {Errc::NoBufferSpace, 105, 55, 10055, 105},
    {Errc::IsConnected, 106, 56, 10056, 127},
    {Errc::NotConnected, 107, 57, 10057, 128},
    {Errc::TimedOut, 110, 60, 10060, 116},
    {Errc::ConnectionRefused, 111, 61, 10061, std::nullopt},
    {Errc::HostUnreachable, 113, 65, 10065, std::nullopt},
    {Errc::Already, 114, 37, 10037, 120},
    {Errc::InProgress, 115, 36, 10036, 119},
};

std::optional<int> number(PersonalityId id, Errc e) {
  const auto code = Personality::get(id).code(e);
  return code ? code->number : std::nullopt;
}

}  // namespace

TEST_CASE("each personality numbers the errors as connect-matrix.md's errno table does", "[socket][personality]") {
  for (const Row& row : matrix_rows) {
    INFO(posix_name(row.errc));
    CHECK(number(PersonalityId::Linux, row.errc) == row.linux_number);
    CHECK(number(PersonalityId::FreeBsd, row.errc) == row.freebsd_number);
    CHECK(number(PersonalityId::Winsock, row.errc) == row.winsock_number);
    CHECK(number(PersonalityId::FreeRtos, row.errc) == row.freertos_number);
  }
}

TEST_CASE("FreeRTOS+TCP defines no ECONNREFUSED, EHOSTUNREACH or ENETUNREACH, and gives EAFNOSUPPORT Linux's 97",
          "[socket][personality]") {
  const Personality& freertos = Personality::get(PersonalityId::FreeRtos);
  CHECK_FALSE(freertos.code(Errc::ConnectionRefused));
  CHECK_FALSE(freertos.code(Errc::HostUnreachable));
  CHECK_FALSE(freertos.code(Errc::NetworkUnreachable));
  CHECK(freertos.code(Errc::FamilyNotSupported)->number == 97);  // connect-source.md 1a: projdefs.h
  CHECK(freertos.code(Errc::TryAgain)->number == freertos.code(Errc::WouldBlock)->number);
}

TEST_CASE("a failed call in each convention: -1 and errno, SOCKET_ERROR and WSAGetLastError, the negated code",
          "[socket][personality]") {
  const FailedReturn on_linux = Personality::get(PersonalityId::Linux).failure(Errc::ConnectionRefused);
  CHECK(on_linux.value == -1);
  CHECK(on_linux.code->name == "ECONNREFUSED");
  CHECK(on_linux.code->provenance == Provenance::Measured);
  CHECK(on_linux.describe() == "-1, errno ECONNREFUSED (111)");

  const FailedReturn on_winsock = Personality::get(PersonalityId::Winsock).failure(Errc::WouldBlock);
  CHECK(on_winsock.value == -1);
  CHECK(on_winsock.describe() == "SOCKET_ERROR, WSAGetLastError() WSAEWOULDBLOCK (10035)");

  const FailedReturn on_freertos = Personality::get(PersonalityId::FreeRtos).failure(Errc::TimedOut);
  CHECK(on_freertos.value == -116);
  CHECK(on_freertos.describe() == "-116 (-pdFREERTOS_ERRNO_ETIMEDOUT)");

  const FailedReturn on_targettcp = Personality::get(PersonalityId::TargetTcp).failure(Errc::DestinationRequired);
  CHECK(on_targettcp.value == -1);
  CHECK_FALSE(on_targettcp.code->number);  // product-specific, not public
  CHECK(on_targettcp.describe() == "-1, errno EDESTADDRREQ (number not public)");
}

TEST_CASE("a code the system does not define is reported by its POSIX name, unnumbered and marked assumed",
          "[socket][personality]") {
  const FailedReturn missing = Personality::get(PersonalityId::FreeRtos).failure(Errc::ConnectionRefused);
  CHECK(missing.code->name == "ECONNREFUSED");
  CHECK_FALSE(missing.code->number);
  CHECK(missing.code->provenance == Provenance::Assumed);
  CHECK(missing.value == -1);
}

TEST_CASE("personalities are found by the names DESIGN.md uses, and error names read back", "[socket][personality]") {
  for (const std::string name : {"linux", "freebsd", "winsock", "freertos", "targettcp"}) {
    const Personality* p = Personality::find(name);
    REQUIRE(p != nullptr);
    CHECK(p->name() == name);
  }
  CHECK(Personality::find("solaris") == nullptr);
  for (const Errc e : all_errcs) {
    Errc read{};
    REQUIRE(parse_errc(posix_name(e), read));
    CHECK(read == e);
  }
  Errc unused{};
  CHECK_FALSE(parse_errc("ENOSUCHTHING", unused));
}
