// connect()'s argument checks per personality, one test per row of
// ../shared/reference/connect-matrix.md (T16-T22), each personality's cell.
#include <catch2/catch.hpp>

#include "socket/connect_arguments.hpp"

using namespace netstep;
using namespace netstep::socket;
using Action = ArgumentVerdict::Action;

namespace {

const Endpoint server{Ipv4Address{203, 0, 113, 2}, Port{8080}};

ConnectArguments args(Endpoint destination = server) {
  ConnectArguments a;
  a.destination = destination;
  return a;
}

std::optional<Errc> error(PersonalityId p, const ConnectArguments& a) { return check_connect_arguments(p, a).error; }

constexpr auto linux_ = PersonalityId::Linux;
constexpr auto freebsd = PersonalityId::FreeBsd;
constexpr auto winsock = PersonalityId::Winsock;
constexpr auto freertos = PersonalityId::FreeRtos;
constexpr auto targettcp = PersonalityId::TargetTcp;

}  // namespace

TEST_CASE("T16 addrlen too small: EINVAL, WSAEFAULT on Winsock, not checked by FreeRTOS+TCP", "[socket][conformance]") {
  for (const std::uint32_t length : {0u, 1u, 2u, 8u, 15u}) {
    ConnectArguments a = args();
    a.addrlen = length;
    INFO("addrlen " << length);
    CHECK(error(linux_, a) == Errc::InvalidArgument);
    CHECK(error(freebsd, a) == Errc::InvalidArgument);
    CHECK(error(winsock, a) == Errc::BadAddress);
    CHECK(error(targettcp, a) == Errc::InvalidArgument);
    CHECK(check_connect_arguments(freertos, a).action == Action::Connect);
  }
}

TEST_CASE("T16 addrlen larger than 16: Linux up to 128, FreeBSD only exactly 16 (ENAMETOOLONG above 255)",
          "[socket][conformance]") {
  ConnectArguments a = args();
  a.addrlen = 128;
  CHECK(check_connect_arguments(linux_, a).action == Action::Connect);
  CHECK(check_connect_arguments(targettcp, a).action == Action::Connect);
  CHECK(error(freebsd, a) == Errc::InvalidArgument);
  a.addrlen = 129;
  CHECK(error(linux_, a) == Errc::InvalidArgument);
  a.addrlen = 256;
  CHECK(error(freebsd, a) == Errc::NameTooLong);
}

TEST_CASE("T17 NULL address: EFAULT with a length, EINVAL without (Linux, FreeBSD), EINVAL on FreeRTOS+TCP",
          "[socket][conformance]") {
  ConnectArguments a = args();
  a.address_null = true;
  CHECK(error(linux_, a) == Errc::BadAddress);
  CHECK(error(freebsd, a) == Errc::BadAddress);
  CHECK(error(winsock, a) == Errc::BadAddress);
  CHECK(error(freertos, a) == Errc::InvalidArgument);
  CHECK(error(targettcp, a) == Errc::BadAddress);
  a.addrlen = 0;
  CHECK(error(linux_, a) == Errc::InvalidArgument);
  CHECK(error(freebsd, a) == Errc::InvalidArgument);
  CHECK(check_connect_arguments(linux_, a).provenance == Provenance::Measured);
}

TEST_CASE("T18 wrong family: EAFNOSUPPORT everywhere but FreeRTOS+TCP, which connects to its previous peer",
          "[socket][conformance]") {
  for (const std::uint16_t family : {af_inet6, af_unix, std::uint16_t{0x1234}}) {
    ConnectArguments a = args();
    a.family = family;
    if (family == af_inet6) a.addrlen = 28;
    INFO("family " << family);
    CHECK(error(linux_, a) == Errc::FamilyNotSupported);
    CHECK(error(freebsd, a) == Errc::FamilyNotSupported);
    CHECK(error(winsock, a) == Errc::FamilyNotSupported);
    CHECK(error(targettcp, a) == Errc::FamilyNotSupported);
    CHECK(check_connect_arguments(freertos, a).action == Action::ConnectToPreviousPeer);
  }
}

TEST_CASE("T19 AF_UNSPEC: Linux disconnects and returns 0 (addrlen 2 is enough), FreeBSD's family check refuses it",
          "[socket][conformance]") {
  ConnectArguments a = args();
  a.family = af_unspec;
  a.addrlen = 2;
  CHECK(check_connect_arguments(linux_, a).action == Action::Disconnect);
  CHECK_FALSE(error(linux_, a));
  a.addrlen = 16;
  CHECK(error(freebsd, a) == Errc::FamilyNotSupported);
}

TEST_CASE("T20 destination 0.0.0.0: 127.0.0.1 on Linux, WSAEADDRNOTAVAIL on Winsock, EDESTADDRREQ on TargetTCP",
          "[socket][conformance]") {
  const ConnectArguments a = args(Endpoint{Ipv4Address{}, Port{8080}});
  const ArgumentVerdict on_linux = check_connect_arguments(linux_, a);
  CHECK(on_linux.action == Action::Connect);
  CHECK(on_linux.destination == Endpoint{Ipv4Address{127, 0, 0, 1}, Port{8080}});
  CHECK(error(winsock, a) == Errc::AddressNotAvailable);
  CHECK(error(targettcp, a) == Errc::DestinationRequired);
  CHECK(check_connect_arguments(freebsd, a).action == Action::Connect);   // to this host (FreeBSD 14 and before)
  CHECK(check_connect_arguments(freertos, a).action == Action::Connect);  // not validated
}

TEST_CASE("T21 destination port 0: Linux sends the SYN, FreeBSD EADDRNOTAVAIL, TargetTCP EDESTADDRREQ",
          "[socket][conformance]") {
  const ConnectArguments a = args(Endpoint{server.address, Port{0}});
  CHECK(check_connect_arguments(linux_, a).action == Action::Connect);  // the peer's RST gives ECONNREFUSED
  CHECK(error(freebsd, a) == Errc::AddressNotAvailable);
  CHECK(error(targettcp, a) == Errc::DestinationRequired);
  const ArgumentVerdict on_winsock = check_connect_arguments(winsock, a);
  CHECK(on_winsock.error == Errc::AddressNotAvailable);
  CHECK(on_winsock.provenance == Provenance::Assumed);  // not documented
}

TEST_CASE("T22 TCP to broadcast or multicast: refused by routing on Linux, by FreeBSD and TargetTCP before it",
          "[socket][conformance]") {
  const ConnectArguments broadcast = args(Endpoint{Ipv4Address{255, 255, 255, 255}, Port{8080}});
  const ConnectArguments multicast = args(Endpoint{Ipv4Address{233, 252, 0, 1}, Port{8080}});
  // Linux: the arguments pass; TCP's connect() refuses with no route (ENETUNREACH).
  CHECK(check_connect_arguments(linux_, broadcast).action == Action::Connect);
  CHECK(error(freebsd, broadcast) == Errc::PermissionDenied);
  CHECK(error(freebsd, multicast) == Errc::FamilyNotSupported);
  CHECK(error(targettcp, broadcast) == Errc::AddressNotAvailable);
  CHECK(error(targettcp, multicast) == Errc::AddressNotAvailable);
  CHECK(check_connect_arguments(freertos, multicast).action == Action::Connect);  // a SYN is really sent
}

TEST_CASE("arguments every personality accepts go through unchanged", "[socket][conformance]") {
  for (const PersonalityId p : tcp::all_syn_personalities) {
    const ArgumentVerdict v = check_connect_arguments(p, args());
    CHECK(v.action == Action::Connect);
    CHECK(v.destination == server);
    CHECK_FALSE(v.rule.empty());
  }
}
