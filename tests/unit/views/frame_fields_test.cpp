#include <catch2/catch.hpp>

#include <random>

#include "views/frame_fields.hpp"
#include "views_support.hpp"

namespace netstep::views {
namespace {

using debug::DebugSession;
using test::all_of;

// Every frame some host sent in a lab scenario, in order.
std::vector<std::vector<std::byte>> frames_sent(const std::string& lab) {
  DebugSession session{debug::test::lab_world(lab)};
  (void)session.continue_();
  std::vector<std::vector<std::byte>> out;
  for (const RecordedEvent* e : all_of<FrameSent>(session.history())) out.emplace_back(e->frame.begin(), e->frame.end());
  return out;
}

const FrameField* find(const std::vector<FrameField>& fields, std::string_view name) {
  for (const FrameField& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// The first frame whose dissection has a field `name` with `value` in it.
std::vector<FrameField> first_with(const std::vector<std::vector<std::byte>>& frames, std::string_view name,
                                   std::string_view value) {
  for (const auto& frame : frames) {
    auto fields = dissect_frame(frame);
    const FrameField* f = find(fields, name);
    if (f != nullptr && f->value.find(value) != std::string::npos) return fields;
  }
  return {};
}

TEST_CASE("The client's SYN is Ethernet, IPv4 and TCP with each field on its bytes, and the MSS option inside") {
  const auto fields = first_with(frames_sent("handshake"), "Flags", "[SYN]");
  REQUIRE(!fields.empty());
  CHECK(fields.front().name == "Ethernet II");
  REQUIRE(find(fields, "Type") != nullptr);
  CHECK(find(fields, "Type")->value == "0x0800 (IPv4)");
  CHECK(find(fields, "Type")->offset == 12);
  const FrameField* ttl = find(fields, "Time to live");
  REQUIRE(ttl != nullptr);
  CHECK(ttl->value == "64");
  CHECK(ttl->offset == 14 + 8);
  CHECK(find(fields, "Header checksum")->value.find("(correct)") != std::string::npos);
  const FrameField* seq = find(fields, "Sequence number");
  REQUIRE(seq != nullptr);
  CHECK(seq->offset == 14 + 20 + 4);
  CHECK(seq->length == 4);
  const FrameField* mss = find(fields, "Maximum segment size");
  REQUIRE(mss != nullptr);
  CHECK(mss->value == "1460");
  CHECK(mss->depth == 2);
  CHECK(mss->offset == 14 + 20 + 20);
  CHECK(find(fields, "SACK permitted") != nullptr);
  CHECK(find(fields, "Timestamps") != nullptr);
  CHECK(find(fields, "Window scale") != nullptr);
}

TEST_CASE("An ARP request shows its operation and addresses, and the padding to 60 bytes") {
  const auto frames = frames_sent("handshake");
  const auto fields = first_with(frames, "Operation", "request");
  REQUIRE(!fields.empty());
  CHECK(find(fields, "Target IP")->value == "10.0.0.2");
  CHECK(find(fields, "Sender IP")->value == "10.0.0.1");
  const FrameField* padding = find(fields, "Padding");
  REQUIRE(padding != nullptr);
  CHECK(padding->offset == 42);
  CHECK(padding->length == 18);
}

TEST_CASE("The router's ICMP net unreachable shows the datagram it quotes, down to its addresses") {
  const auto fields = first_with(frames_sent("net-unreachable"), "Type, code", "unreachable");
  REQUIRE(!fields.empty());
  const FrameField* quoted = find(fields, "The datagram it is about");
  REQUIRE(quoted != nullptr);
  bool quoted_destination = false;
  for (const FrameField& f : fields) {
    if (f.depth == 2 && f.name == "Destination" && f.offset > quoted->offset) quoted_destination = true;
  }
  CHECK(quoted_destination);
  CHECK(fields_text(fields).find("Checksum: 0x") != std::string::npos);
}

TEST_CASE("Every truncation of a frame and random bytes are dissected without trusting them") {
  const auto frames = frames_sent("handshake");
  REQUIRE(!frames.empty());
  std::size_t malformed = 0;
  for (const auto& frame : frames) {
    for (std::size_t n = 0; n <= frame.size(); ++n) {
      const auto fields = dissect_frame(Bytes{frame.data(), n});
      REQUIRE(!fields.empty());
      for (const FrameField& f : fields) CHECK(f.offset + f.length <= std::max<std::size_t>(n, 14));
      if (find(fields, "Malformed") != nullptr) ++malformed;
    }
  }
  CHECK(malformed > 0);
  std::mt19937 random{7};
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::byte> bytes(random() % 120);
    for (auto& b : bytes) b = std::byte(random() & 0xff);
    if (bytes.size() > 13 && i % 2 == 0) {  // IPv4 half the time, so the deeper layers are reached
      bytes[12] = std::byte{0x08};
      bytes[13] = std::byte{0x00};
      if (bytes.size() > 14) bytes[14] = std::byte{0x45};
    }
    (void)dissect_frame(bytes);
  }
}

TEST_CASE("The hex dump has 16 bytes a line with their offset and printable characters") {
  const std::vector<std::byte> bytes{std::byte{0x48}, std::byte{0x69}, std::byte{0x00}};
  CHECK(hex_dump(bytes) == "0000  48 69 00" + std::string(13 * 3, ' ') + "  Hi.\n");
  const auto frame = frames_sent("handshake").front();
  const std::string dump = hex_dump(frame);
  CHECK(static_cast<std::size_t>(std::count(dump.begin(), dump.end(), '\n')) == (frame.size() + 15) / 16);
}

}  // namespace
}  // namespace netstep::views
