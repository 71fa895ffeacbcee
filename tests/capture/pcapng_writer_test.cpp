// PcapngWriter on the default topology: the file is read back block by
// block (capture_files.cpp) and checked the way Wireshark will show it: one
// interface per link, frames once, in time order, with comments that tell
// what the stack and the wire did.
#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "capture_files.hpp"
#include "capture_scenarios.hpp"
#include "sim/frame_rule.hpp"

using namespace netstep;
using namespace netstep::test;
using capture::CaptureLink;

namespace {

// The packets whose comments contain `text`.
std::vector<const PcapngPacket*> commented(const PcapngFile& file, std::string_view text) {
  std::vector<const PcapngPacket*> found;
  for (const auto& packet : file.packets) {
    for (const auto& comment : packet.comments) {
      if (comment.find(text) != std::string::npos) {
        found.push_back(&packet);
        break;
      }
    }
  }
  return found;
}

std::string all_comments(const PcapngFile& file) {
  std::string text;
  for (const auto& packet : file.packets) {
    for (const auto& comment : packet.comments) text += comment + "\n";
  }
  return text;
}

// The FrameSent events on interfaces that are plugged into a cable, in order.
std::vector<const RecordedEvent*> frames_sent(const Recorder& recorder) {
  std::vector<const RecordedEvent*> sent;
  for (const auto* e : recorder.all<FrameSent>()) sent.push_back(e);
  return sent;
}

std::string as_text(const std::vector<std::byte>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

TEST_CASE("pcapng: a section header naming netstep, one interface per link, then the frames",
          "[capture][pcapng]") {
  CaptureNet net;
  spawn_handshake(net);
  const PcapngFile file = parse_pcapng(net.finish());

  REQUIRE(file.block_types.size() >= 6);
  CHECK(file.block_types[0] == 0x0a0d0d0a);
  CHECK(file.application.starts_with("netstep "));
  CHECK(file.application.find_first_of("/\\") == std::string::npos);  // nothing from the machine

  REQUIRE(file.interfaces.size() == 4);
  const char* names[] = {"client-lan", "server-lan", "router-lan", "wan"};
  const char* descriptions[] = {"link client-lan: client eth0", "link server-lan: server eth0",
                                "link router-lan: router eth0", "link wan: router eth1, remote eth0"};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(file.interfaces[i].name == names[i]);
    CHECK(file.interfaces[i].description == descriptions[i]);
    CHECK(file.interfaces[i].linktype == 1);
    CHECK(file.interfaces[i].snap_length == 262144);
    CHECK(file.interfaces[i].timestamp_resolution == std::optional<std::uint8_t>{9});
  }
  for (std::size_t i = 1; i <= 4; ++i) CHECK(file.block_types[i] == 1);
  for (std::size_t i = 5; i < file.block_types.size(); ++i) CHECK(file.block_types[i] == 6);
}

TEST_CASE("pcapng: every frame a host sends is in the file once, on its sender's link, at the time it was sent",
          "[capture][pcapng]") {
  CaptureNet net;
  spawn_handshake(net);
  const PcapngFile file = parse_pcapng(net.finish());
  const auto sent = frames_sent(net.recorder);
  REQUIRE(sent.size() >= 7);  // ARP request and reply, SYN, SYN,ACK, ACK, FIN ... ACK
  REQUIRE(file.packets.size() == sent.size());

  for (std::size_t i = 0; i < sent.size(); ++i) {
    INFO("frame " << i + 1 << " sent by " << sent[i]->host);
    const PcapngPacket& packet = file.packets[i];
    CHECK(packet.timestamp == static_cast<std::uint64_t>(to_ns(sent[i]->time)));
    CHECK(packet.data == std::vector<std::byte>(sent[i]->frame.begin(), sent[i]->frame.end()));
    CHECK(packet.original_length == sent[i]->frame.size());
    const std::string_view expected = sent[i]->host == "client" ? "client-lan" : "server-lan";
    CHECK(file.interfaces[packet.interface].name == expected);
  }
  for (std::size_t i = 1; i < file.packets.size(); ++i) CHECK(file.packets[i - 1].timestamp <= file.packets[i].timestamp);
  CHECK(file.packets.front().timestamp < file.packets.back().timestamp);
}

TEST_CASE("pcapng: comments tell the connect call and state changes that led to a frame and what its receiver did",
          "[capture][pcapng]") {
  CaptureNet net;
  spawn_handshake(net);
  const PcapngFile file = parse_pcapng(net.finish());
  INFO(all_comments(file));

  // The ARP request goes out inside connect(): its comment tells the socket
  // and the state change that started it; the server learns the client.
  const auto arp = commented(file, "CLOSED -> SYN-SENT");
  REQUIRE(arp.size() == 1);
  CHECK(arp[0]->comments.size() == 1);
  CHECK(arp[0]->comments[0].starts_with("client: socket(3) -> 3; 10.0.0.1:"));
  CHECK(arp[0]->comments[0].find("server on receipt: 10.0.0.1 at 02:00:00:00:00:01: NONE -> STALE") !=
        std::string::npos);

  // connect() returned EINPROGRESS after the ARP request left: told on the
  // client's next frame, the SYN, for which the listener makes a connection.
  const auto syn = commented(file, "connect(3) -> -1, errno EINPROGRESS (115)");
  REQUIRE(syn.size() == 1);
  CHECK(syn[0]->comments[0].find("server on receipt: 10.0.0.2:80 > 10.0.0.1:") != std::string::npos);
  CHECK(syn[0]->comments[0].find("CLOSED -> SYN-RECEIVED (rcv SYN / snd SYN,ACK") != std::string::npos);

  // The SYN,ACK establishes the client.
  const auto syn_ack = commented(file, "SYN-SENT -> ESTABLISHED");
  REQUIRE(syn_ack.size() == 1);
  CHECK(syn_ack[0]->comments[0].starts_with("client on receipt: "));

  // The server's accept() returns when the client's ACK arrives.
  CHECK(commented(file, "server on receipt: ").size() >= 3);
  CHECK(commented(file, "accept(").size() == 1);
  CHECK(commented(file, "SYN-RECEIVED -> ESTABLISHED").size() == 1);
}

TEST_CASE("pcapng: a refused connect, the RST's comment tells ECONNREFUSED at the client", "[capture][pcapng]") {
  CaptureNet net;
  spawn_refused(net);
  const PcapngFile file = parse_pcapng(net.finish());
  INFO(all_comments(file));

  const auto syn = commented(file, "server on receipt: DROPPED: no socket: RST sent");
  REQUIRE(syn.size() == 1);
  const auto rst = commented(file, "connect(3) -> -1, errno ECONNREFUSED (111)");
  REQUIRE(rst.size() == 1);
  CHECK(rst[0]->comments[0].starts_with("client on receipt: "));
  CHECK(rst[0]->comments[0].find("SYN-SENT -> CLOSED") != std::string::npos);
  CHECK(rst[0] > syn[0]);
}

TEST_CASE("pcapng: a frame lost on a cable keeps its block, with a comment naming the link that dropped it",
          "[capture][pcapng]") {
  topology::DefaultTopologyOptions lossy;
  lossy.seed = 7;
  lossy.loss = 0.1;
  CaptureNet net{lossy};
  spawn_transfer(net, 64 * 1024);
  const PcapngFile file = parse_pcapng(net.finish());
  INFO(all_comments(file));

  std::size_t lost = 0;
  for (const auto* e : net.recorder.all<Dropped>()) {
    lost += e->layer == Layer::Driver && e->as<Dropped>()->reason == "impairment: loss";
  }
  REQUIRE(lost > 0);
  const auto dropped = commented(file, ": impairment: loss");
  CHECK(dropped.size() == lost);  // each lost frame was captured (a frame is lost at most once)
  CHECK(commented(file, "dropped by link client-lan (client.eth0 -> lan.p0): impairment: loss").size() +
            commented(file, "dropped by link client-lan (lan.p0 -> client.eth0): impairment: loss").size() +
            commented(file, "dropped by link server-lan (server.eth0 -> lan.p1): impairment: loss").size() +
            commented(file, "dropped by link server-lan (lan.p1 -> server.eth0): impairment: loss").size() ==
        lost);
  // Nothing is captured twice: the file holds what the hosts sent.
  CHECK(file.packets.size() == frames_sent(net.recorder).size());
}

TEST_CASE("pcapng: a cable that corrupts a frame is told on the frame sent, with the receiver's drop",
          "[capture][pcapng]") {
  CaptureNet net;
  sim::Impairments corrupting;
  corrupting.delay = 50us;
  corrupting.corrupt = 1.0;
  // Every frame the client sends towards the switch gets one bit flipped.
  net.network.network().find_link("client-lan")->set_impairments(sim::Direction::AtoB, corrupting);
  spawn_refused(net);
  const PcapngFile file = parse_pcapng(net.finish());
  INFO(all_comments(file));

  const auto corrupted = commented(file, "link client-lan: wire corrupted a frame on client.eth0 -> lan.p0 (bit ");
  REQUIRE(!corrupted.empty());
  // Every corrupted copy was still matched to the frame the client sent:
  // what its receiver did is on the same block (a receiver may drop it, or
  // take it as another frame when the flipped bit is in an address).
  std::size_t told_at_receiver = 0;
  for (const auto* packet : corrupted) told_at_receiver += packet->comments[0].find(" on receipt: ") != std::string::npos;
  CHECK(told_at_receiver > 0);
  // A corrupted copy is not captured as a frame of its own.
  CHECK(file.packets.size() == frames_sent(net.recorder).size());
}

TEST_CASE("pcapng: frames of interfaces on no given link are left out", "[capture][pcapng]") {
  CaptureNet net{{}, {}, std::vector<CaptureLink>{{"server-lan", {{"server", "eth0"}}}}};
  spawn_handshake(net);
  const PcapngFile file = parse_pcapng(net.finish());
  REQUIRE(file.interfaces.size() == 1);
  std::size_t server_frames = 0;
  for (const auto* e : net.recorder.all<FrameSent>()) server_frames += e->host == "server";
  CHECK(file.packets.size() == server_frames);
  // The client's notes are still told, on the server's frames, as receipts.
  CHECK(!commented(file, "client on receipt: ").empty());
}

TEST_CASE("pcapng: a reject rule's answer, sent by no host, is captured with a note saying the wire made it",
          "[capture][pcapng]") {
  CaptureNet net;
  sim::FrameMatch syns;
  syns.ip_destination = sim::FrameMatch::host(server_closed.address);
  syns.tcp_flags_set = sim::tcp_flag::syn;
  net.network.network().find_link("client-lan")->add_rule(
      sim::Direction::AtoB, sim::FrameRule{syns, sim::RejectWithIcmp{3, 1, Ipv4Address{10, 0, 0, 254}}, 1});
  spawn_refused(net);
  const PcapngFile file = parse_pcapng(net.finish());
  INFO(all_comments(file));

  const auto rejected = commented(file, "dropped by link client-lan (client.eth0 -> lan.p0): rule: rejected with ICMP");
  REQUIRE(rejected.size() == 1);
  const auto answer = commented(file, "made by the simulated wire");
  REQUIRE(answer.size() == 1);
  CHECK(answer[0] > rejected[0]);
  CHECK(file.interfaces[answer[0]->interface].name == "client-lan");
  CHECK(answer[0]->comments[0].find("client on receipt: ") != std::string::npos);
  CHECK(answer[0]->comments[0].find("EHOSTUNREACH") != std::string::npos);
  CHECK(file.packets.size() == frames_sent(net.recorder).size() + 1);
}

TEST_CASE("pcapng: a comment longer than the limit is cut and ends with ...", "[capture][pcapng]") {
  capture::CaptureOptions small;
  small.comment_limit = 40;
  CaptureNet net{{}, small};
  spawn_handshake(net);
  const PcapngFile file = parse_pcapng(net.finish());
  std::size_t cut = 0;
  for (const auto& packet : file.packets) {
    for (const auto& comment : packet.comments) {
      CHECK(comment.size() <= 40);
      cut += comment.ends_with("...");
    }
  }
  CHECK(cut > 0);
}

TEST_CASE("pcapng: holding only 4 frames at a time writes the same frames in the same order", "[capture][pcapng]") {
  const auto frames = [](std::size_t pending) {
    capture::CaptureOptions options;
    options.pending_frames = pending;
    topology::DefaultTopologyOptions lossy;
    lossy.loss = 0.05;
    CaptureNet net{lossy, options};
    spawn_transfer(net, 32 * 1024);
    std::vector<std::pair<std::uint64_t, std::string>> out;
    for (const auto& packet : parse_pcapng(net.finish()).packets) out.emplace_back(packet.timestamp, as_text(packet.data));
    return out;
  };
  const auto held = frames(1024);
  CHECK(held.size() > 20);
  CHECK(frames(4) == held);
}

TEST_CASE("pcapng: two runs with the same seed give the same bytes", "[capture][pcapng]") {
  const auto run = [](std::uint64_t seed) {
    topology::DefaultTopologyOptions lossy;
    lossy.seed = seed;
    lossy.loss = 0.05;
    CaptureNet net{lossy};
    spawn_transfer(net, 64 * 1024);
    return net.finish();
  };
  const std::string first = run(11);
  CHECK(run(11) == first);
  CHECK(run(12) != first);
}

TEST_CASE("pcapng: invalid links and options are refused with the reason", "[capture][pcapng]") {
  std::ostringstream out;
  const auto refused = [&](std::vector<CaptureLink> links, capture::CaptureOptions options = {}) {
    try {
      capture::PcapngWriter writer{out, std::move(links), options};
    } catch (const std::invalid_argument& e) {
      return std::string{e.what()};
    }
    return std::string{};
  };
  CHECK(refused({{"a", {{"h", "eth0"}}}, {"b", {{"h", "eth0"}}}}) == "capture: h eth0 is on link a already");
  CHECK(refused({{"a", {}}, {"a", {}}}) == "capture: two links are named a");
  CHECK(refused({{"", {}}}) == "capture: link 0 has no name");
  capture::CaptureOptions none;
  none.pending_frames = 0;
  CHECK(refused({}, none) == "capture: pending_frames must be at least 1");
  capture::CaptureOptions huge;
  huge.comment_limit = 70000;
  CHECK(refused({}, huge) == "capture: comment_limit 70000 is outside 16..65535 bytes");
  CHECK(refused({{"a", {{"h", "eth0"}, {"g", "eth0"}}}}).empty());
}
