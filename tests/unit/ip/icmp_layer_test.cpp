#include <catch2/catch.hpp>

#include "app/ping.hpp"
#include "three_hosts.hpp"
#include "wire/icmp.hpp"

using namespace netstep;
using namespace netstep::testing;

TEST_CASE("an echo reply carries the request's identifier, sequence and data back", "[icmp][echo]") {
  ThreeHosts net;
  struct Listener final : EchoListener {
    std::vector<std::byte> data;
    std::uint16_t sequence = 0;
    void receive_echo_reply(const wire::Ipv4Repr&, const wire::IcmpRepr& reply) override {
      data.assign(reply.data.begin(), reply.data.end());
      sequence = reply.sequence();
    }
    void receive_echo_error(const IcmpErrorReport&, std::uint16_t) override {}
  } listener;
  net.client.icmp().add_echo_listener(0x4242, listener);
  const std::vector<std::byte> data{std::byte{1}, std::byte{2}, std::byte{3}};
  net.client.icmp().send_echo_request(Ipv4Address{10, 0, 0, 254}, 0x4242, 77, Bytes{data});
  net.loop.run_until_idle();
  CHECK(listener.sequence == 77);
  CHECK(listener.data == data);
}

TEST_CASE("broadcast echo requests are ignored, as Linux does by default", "[icmp][echo]") {
  ThreeHosts net;
  net.client.icmp().send_echo_request(Ipv4Address{10, 0, 0, 255}, 1, 1, {});
  net.loop.run_until_idle();
  CHECK(contains(drop_reasons(net.recorder, "router"),
                 "broadcast echo requests are ignored (icmp_echo_ignore_broadcasts)"));
}

TEST_CASE("a host told to ignore echo requests stays silent", "[icmp][echo]") {
  EventLoop loop;
  TraceBus bus{loop};
  Recorder recorder;
  bus.attach(recorder);
  Cable cable{loop, MacAddress::local(1), MacAddress::local(2)};
  Ipv4Config quiet;
  quiet.icmp.answer_echo = false;
  Host a{loop, bus, HostConfig{"a", {}, {}, 1}};
  Host b{loop, bus, HostConfig{"b", quiet, {}, 2}};
  a.add_interface(cable.a, *Ipv4Cidr::parse("10.0.0.1/24"));
  b.add_interface(cable.b, *Ipv4Cidr::parse("10.0.0.2/24"));
  Ping ping{loop, a.tracer(), a.icmp(), PingConfig{Ipv4Address{10, 0, 0, 2}, 1, 1s, 56, 2s, 0, 1}};
  ping.start();
  loop.run_until_idle();
  CHECK(ping.statistics().received == 0);
  CHECK(contains(drop_reasons(recorder, "b"), "echo requests are ignored (icmp_echo_ignore_all)"));
}

TEST_CASE("no ICMP error is ever sent about an ICMP error", "[icmp][errors]") {
  ThreeHosts net;
  // A destination-unreachable from the client to a missing host: the router
  // cannot resolve it, and must not answer with another error.
  std::vector<std::byte> original(28);
  wire::Ipv4Repr inner;
  inner.source = Ipv4Address{10, 0, 0, 1};
  inner.destination = Ipv4Address{10, 0, 1, 2};
  inner.protocol = 17;
  inner.payload_length = 8;
  inner.emit(MutableBytes{original});
  const auto error = wire::IcmpRepr::error(wire::icmp_type::destination_unreachable, 3, Bytes{original});
  std::vector<std::byte> message(error.length());
  error.emit(MutableBytes{message});
  net.client.ip().send(Ipv4Address{10, 0, 1, 77}, wire::ip_protocol::icmp, Bytes{message});
  net.loop.run_until_idle();
  for (const auto* e : net.recorder.all<IcmpSent>()) CHECK(e->host != "router");
}
