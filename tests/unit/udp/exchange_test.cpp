// Datagrams over the simulated wire: echo, connected sockets and their
// filter, disconnect, send errors, broadcast, the demultiplexer's choice.
#include <catch2/catch.hpp>

#include "udp_net.hpp"

using namespace netstep;
using namespace netstep::testing;
using netstep::udp::BindOptions;
using netstep::udp::UdpError;
using netstep::udp::UdpPcb;

TEST_CASE("a datagram echoed between client and server crosses the simulated wire with its endpoints and payload intact",
          "[udp][exchange]") {
  UdpNet net;
  UdpPcb& echo = bound(net.server().udp(), at(Ipv4Address{}, 7));
  UdpPcb& client = bound(net.client().udp(), Endpoint{});
  const Endpoint client_end{client_ip, client.local().port};

  const auto sent = client.send_to(at(server_ip, 7), text("hello"));
  REQUIRE(sent.ok());
  CHECK(*sent == SendStatus::Sent);
  CHECK_FALSE(echo.readable());  // still on the wire
  net.settle();

  REQUIRE(echo.readable());
  CHECK(echo.queued_datagrams() == 1);
  CHECK(echo.queued_bytes() == 5);
  auto request = echo.receive();
  REQUIRE(request);
  CHECK(request->from == client_end);  // the wildcard client's source: the one routing chose
  CHECK(request->to == at(server_ip, 7));
  CHECK(text_of(request->data) == "hello");
  CHECK_FALSE(echo.readable());
  CHECK(echo.queued_bytes() == 0);
  CHECK_FALSE(echo.receive());

  const auto replied = echo.send_to(request->from, Bytes{request->data});
  REQUIRE(replied.ok());
  CHECK(*replied == SendStatus::Sent);
  net.settle();
  auto reply = client.receive();
  REQUIRE(reply);
  CHECK(reply->from == at(server_ip, 7));
  CHECK(reply->to == client_end);
  CHECK(text_of(reply->data) == "hello");

  // Traced once per datagram each way, at both ends.
  const auto client_sent = net.datagrams("client", "sent");
  REQUIRE(client_sent.size() == 1);
  CHECK(client_sent[0].source == client_end);
  CHECK(client_sent[0].destination == at(server_ip, 7));
  CHECK(client_sent[0].length == 5);
  CHECK(net.datagrams("server", "received").size() == 1);
  CHECK(net.datagrams("server", "sent").size() == 1);
  CHECK(net.datagrams("client", "received").size() == 1);
  CHECK(net.udp_drops("server").empty());
  CHECK(net.udp_drops("client").empty());
}

TEST_CASE("a datagram to the remote network crosses the router, and 65507 bytes arrive whole in fragments",
          "[udp][exchange]") {
  UdpNet net;
  UdpPcb& sink = bound(net.remote().udp(), at(remote_ip, 9));
  UdpPcb& client = bound(net.client().udp(), Endpoint{});
  std::vector<std::byte> big(udp::UdpLayer::max_payload);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>(i * 7);
  REQUIRE(client.send_to(at(remote_ip, 9), text("small")).ok());
  REQUIRE(client.send_to(at(remote_ip, 9), Bytes{big}).ok());
  net.settle(1s);
  REQUIRE(sink.queued_datagrams() == 2);
  CHECK(text_of(sink.receive()->data) == "small");
  const auto whole = sink.receive();
  REQUIRE(whole);
  CHECK(whole->data == big);
  CHECK(whole->from.address == client_ip);
}

TEST_CASE("sending to 0.0.0.0 reaches this host through loopback, from and to 127.0.0.1", "[udp][exchange]") {
  UdpNet net;
  UdpPcb& listener = bound(net.client().udp(), at(Ipv4Address{}, 5000));
  UdpPcb& sender = bound(net.client().udp(), Endpoint{});
  const auto sent = sender.send_to(at(Ipv4Address{}, 5000), text("self"));
  REQUIRE(sent.ok());
  CHECK(*sent == SendStatus::DeliveredLocally);
  CHECK_FALSE(listener.readable());  // through the loop, never inside send
  net.settle(1ms);
  const auto got = listener.receive();
  REQUIRE(got);
  CHECK(got->from == at(Ipv4Address{127, 0, 0, 1}, sender.local().port.value()));
  CHECK(got->to == at(Ipv4Address{127, 0, 0, 1}, 5000));
  CHECK(text_of(got->data) == "self");
}

TEST_CASE("a connected PCB queues only datagrams from its peer, another sender finds no socket and earns port unreachable",
          "[udp][connect]") {
  UdpNet net;
  UdpPcb& server = bound(net.server().udp(), at(Ipv4Address{}, 9000));
  REQUIRE(server.connect(at(client_ip, 5000)).ok());
  UdpPcb& peer = bound(net.client().udp(), at(Ipv4Address{}, 5000));
  UdpPcb& other_port = bound(net.client().udp(), at(Ipv4Address{}, 5001));
  UdpPcb& stranger = bound(net.remote().udp(), at(Ipv4Address{}, 5000));

  REQUIRE(peer.send_to(at(server_ip, 9000), text("from the peer")).ok());
  REQUIRE(other_port.send_to(at(server_ip, 9000), text("wrong port")).ok());
  REQUIRE(stranger.send_to(at(server_ip, 9000), text("wrong host")).ok());
  net.settle();

  REQUIRE(server.queued_datagrams() == 1);
  CHECK(text_of(server.receive()->data) == "from the peer");
  CHECK(count(net.udp_drops("server"), "no socket: ICMP port unreachable sent") == 2);
  REQUIRE(stranger.pending_error());
  CHECK(stranger.pending_error()->code == 3);
  CHECK_FALSE(stranger.pending_error()->connected_to_quoted_peer);
  REQUIRE(other_port.pending_error());
  CHECK_FALSE(peer.pending_error());
}

TEST_CASE("connect fills in the local address routing chooses and returns it, disconnect makes it the wildcard again",
          "[udp][connect]") {
  UdpNet net;
  UdpPcb& pcb = bound(net.client().udp(), Endpoint{});
  const Port port = pcb.local().port;
  const auto local = pcb.connect(at(remote_ip, 53));
  REQUIRE(local.ok());
  CHECK(*local == Endpoint{client_ip, port});
  CHECK(pcb.local() == Endpoint{client_ip, port});
  REQUIRE(pcb.peer());
  CHECK(*pcb.peer() == at(remote_ip, 53));

  pcb.disconnect(false);
  CHECK_FALSE(pcb.peer());
  CHECK(pcb.local() == Endpoint{Ipv4Address{}, port});

  // An address bound explicitly stays.
  UdpPcb& fixed = bound(net.client().udp(), at(client_ip, 6000));
  REQUIRE(fixed.connect(at(server_ip, 7)).ok());
  fixed.disconnect(true);
  CHECK(fixed.local() == at(client_ip, 6000));

  // Peer 0.0.0.0 is this host, as on Linux.
  REQUIRE(pcb.connect(at(Ipv4Address{}, 9)).ok());
  CHECK(*pcb.peer() == at(Ipv4Address{127, 0, 0, 1}, 9));
  CHECK(pcb.local().address == Ipv4Address(127, 0, 0, 1));
}

TEST_CASE("connect through an unreachable route fails and keeps the old peer, a send there returns IPv4's status "
          "traced as dropped",
          "[udp][connect][send]") {
  UdpNet net;
  net.client().add_special_route(*Ipv4Cidr::parse("192.0.2.0/24"), RouteKind::Unreachable);
  net.client().add_special_route(*Ipv4Cidr::parse("198.51.100.0/24"), RouteKind::Prohibit);
  net.client().add_special_route(*Ipv4Cidr::parse("203.0.113.0/24"), RouteKind::Blackhole);
  UdpPcb& pcb = bound(net.client().udp(), Endpoint{});
  REQUIRE(pcb.connect(at(server_ip, 7)).ok());
  CHECK(pcb.connect(at(Ipv4Address{192, 0, 2, 1}, 7)).error() == UdpError::UnreachableRoute);
  CHECK(pcb.connect(at(Ipv4Address{198, 51, 100, 1}, 7)).error() == UdpError::ProhibitRoute);
  CHECK(pcb.connect(at(Ipv4Address{203, 0, 113, 1}, 7)).error() == UdpError::BlackholeRoute);
  CHECK(*pcb.peer() == at(server_ip, 7));

  const auto sent = pcb.send_to(at(Ipv4Address{192, 0, 2, 1}, 7), text("x"));
  REQUIRE(sent.ok());
  CHECK(*sent == SendStatus::UnreachableRoute);
  CHECK(contains(net.udp_drops("client"), "unreachable route"));
  CHECK(net.datagrams("client", "sent").empty());
}

TEST_CASE("reconnecting to another peer keeps the datagrams already queued, as Linux does", "[udp][connect]") {
  UdpNet net;
  UdpPcb& server = bound(net.server().udp(), at(Ipv4Address{}, 9000));
  REQUIRE(server.connect(at(client_ip, 5000)).ok());
  UdpPcb& client = bound(net.client().udp(), at(Ipv4Address{}, 5000));
  UdpPcb& remote = bound(net.remote().udp(), at(Ipv4Address{}, 5000));
  REQUIRE(client.send_to(at(server_ip, 9000), text("one")).ok());
  REQUIRE(client.send_to(at(server_ip, 9000), text("two")).ok());
  net.settle();
  REQUIRE(server.queued_datagrams() == 2);

  REQUIRE(server.connect(at(remote_ip, 5000)).ok());
  CHECK(server.queued_datagrams() == 2);
  REQUIRE(client.send_to(at(server_ip, 9000), text("three")).ok());  // no longer the peer
  REQUIRE(remote.send_to(at(server_ip, 9000), text("four")).ok());
  net.settle();
  CHECK(text_of(server.receive()->data) == "one");
  CHECK(text_of(server.receive()->data) == "two");
  const auto fourth = server.receive();
  REQUIRE(fourth);
  CHECK(text_of(fourth->data) == "four");
  CHECK(fourth->from == at(remote_ip, 5000));
  CHECK_FALSE(server.readable());
}

TEST_CASE("disconnect(true) gives back a port the layer chose and the next send binds a new one, an explicit port is kept",
          "[udp][connect]") {
  UdpNet net;
  udp::UdpLayer& layer = net.client().udp();
  UdpPcb& automatic = bound(layer, Endpoint{});
  const Port chosen = automatic.local().port;
  REQUIRE(automatic.connect(at(server_ip, 7)).ok());
  automatic.disconnect(true);
  CHECK_FALSE(automatic.bound());
  CHECK(automatic.local() == Endpoint{});
  CHECK(layer.bound_count() == 0);
  CHECK(layer.pcb_count() == 1);
  // The port is free for anyone.
  UdpPcb& taker = bound(layer, Endpoint{Ipv4Address{}, chosen});
  // Sending autobinds again (Linux's inet_autobind).
  REQUIRE(automatic.send_to(at(server_ip, 7), text("x")).ok());
  CHECK(automatic.bound());
  CHECK(automatic.local().port != chosen);
  // So does connect.
  automatic.disconnect(true);
  REQUIRE(automatic.connect(at(server_ip, 7)).ok());
  CHECK(automatic.bound());

  // disconnect(false) keeps even a chosen port (BSD); an explicit one is always kept.
  taker.disconnect(true);
  CHECK(taker.local().port == chosen);
  UdpPcb& kept = bound(layer, Endpoint{});
  const Port kept_port = kept.local().port;
  REQUIRE(kept.connect(at(server_ip, 7)).ok());
  kept.disconnect(false);
  CHECK(kept.local().port == kept_port);
}

TEST_CASE("send without a peer reports DestinationRequired, to port 0 InvalidDestination, above 65507 bytes "
          "MessageTooLong",
          "[udp][send]") {
  UdpNet net;
  UdpPcb& pcb = bound(net.client().udp(), Endpoint{});
  CHECK(pcb.send(text("x")).error() == UdpError::DestinationRequired);
  CHECK(pcb.send_to(at(server_ip, 0), text("x")).error() == UdpError::InvalidDestination);
  const std::vector<std::byte> too_big(udp::UdpLayer::max_payload + 1);
  CHECK(pcb.send_to(at(server_ip, 7), Bytes{too_big}).error() == UdpError::MessageTooLong);
  REQUIRE(pcb.connect(at(server_ip, 7)).ok());
  CHECK(pcb.send(Bytes{too_big}).error() == UdpError::MessageTooLong);
  CHECK(net.datagrams("client", "sent").empty());
  const auto sent = pcb.send(text("x"));
  REQUIRE(sent.ok());
  CHECK(*sent == SendStatus::Sent);
  // An empty datagram is a datagram.
  CHECK(pcb.send(Bytes{}).ok());
  CHECK(net.datagrams("client", "sent").size() == 2);
}

TEST_CASE("a broadcast send needs set_broadcast (else BroadcastNotAllowed, Linux EACCES), then reaches every host "
          "on the LAN listening on the port",
          "[udp][broadcast]") {
  UdpNet net;
  UdpPcb& sender = bound(net.client().udp(), Endpoint{});
  UdpPcb& at_server = bound(net.server().udp(), at(Ipv4Address{}, 9999));
  UdpPcb& at_router = bound(net.router().udp(), at(Ipv4Address{}, 9999));
  UdpPcb& unicast_only = bound(net.server().udp(), at(server_ip, 9998));

  CHECK(sender.send_to(at(Ipv4Address::broadcast(), 9999), text("x")).error() == UdpError::BroadcastNotAllowed);
  CHECK(sender.send_to(at(lan_broadcast, 9999), text("x")).error() == UdpError::BroadcastNotAllowed);
  CHECK(sender.connect(at(lan_broadcast, 9999)).error() == UdpError::BroadcastNotAllowed);
  CHECK_FALSE(sender.peer());
  // A broadcast to another network is unicast as far as this host knows.
  CHECK(sender.send_to(at(Ipv4Address{10, 0, 1, 255}, 9997), text("x")).ok());

  sender.set_broadcast(true);
  CHECK(sender.broadcast());
  REQUIRE(sender.send_to(at(lan_broadcast, 9999), text("anyone?")).ok());
  REQUIRE(sender.send_to(at(Ipv4Address::broadcast(), 9999), text("everyone?")).ok());
  REQUIRE(sender.send_to(at(lan_broadcast, 9998), text("bound to one address")).ok());
  net.settle();
  for (UdpPcb* pcb : {&at_server, &at_router}) {
    REQUIRE(pcb->queued_datagrams() == 2);
    const auto first = pcb->receive();
    CHECK(text_of(first->data) == "anyone?");
    CHECK(first->to == at(lan_broadcast, 9999));
    CHECK(first->from.address == client_ip);
    CHECK(pcb->receive()->to == at(Ipv4Address::broadcast(), 9999));
  }
  // Linux: a socket bound to one unicast address does not see broadcasts.
  CHECK_FALSE(unicast_only.readable());
}

TEST_CASE("the most specific PCB takes a unicast datagram: connected to the sender, then bound to the address, then "
          "the wildcard, the one bound last among equals, while a broadcast reaches each",
          "[udp][demux]") {
  UdpNet net;
  udp::UdpLayer& layer = net.server().udp();
  const BindOptions reuse{true};
  UdpPcb& wildcard = bound(layer, at(Ipv4Address{}, 8000), reuse);
  UdpPcb& specific = bound(layer, at(server_ip, 8000), reuse);
  UdpPcb& connected = bound(layer, at(Ipv4Address{}, 8000), reuse);
  REQUIRE(connected.connect(at(client_ip, 5000)).ok());

  CHECK(layer.find(at(client_ip, 5000), at(server_ip, 8000)) == &connected);
  CHECK(layer.find(at(client_ip, 5001), at(server_ip, 8000)) == &specific);
  CHECK(layer.find(at(remote_ip, 5000), at(server_ip, 8000)) == &specific);
  CHECK(layer.find(at(client_ip, 5000), at(Ipv4Address{127, 0, 0, 1}, 8000)) == &wildcard);
  CHECK(layer.find(at(client_ip, 5000), at(server_ip, 8001)) == nullptr);

  UdpPcb& older = bound(layer, at(Ipv4Address{}, 8001), reuse);
  UdpPcb& newer = bound(layer, at(Ipv4Address{}, 8001), reuse);
  CHECK(layer.find(at(client_ip, 5000), at(server_ip, 8001)) == &newer);

  UdpPcb& sender = bound(net.client().udp(), at(Ipv4Address{}, 5000));
  sender.set_broadcast(true);
  REQUIRE(sender.send_to(at(server_ip, 8001), text("unicast")).ok());
  REQUIRE(sender.send_to(at(lan_broadcast, 8001), text("broadcast")).ok());
  REQUIRE(sender.send_to(at(server_ip, 8000), text("to the connected one")).ok());
  net.settle();
  CHECK(older.queued_datagrams() == 1);
  CHECK(newer.queued_datagrams() == 2);
  CHECK(text_of(older.receive()->data) == "broadcast");
  CHECK(connected.queued_datagrams() == 1);
  CHECK_FALSE(specific.readable());
  CHECK_FALSE(wildcard.readable());
}
