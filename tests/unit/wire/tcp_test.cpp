#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "wire/checksum.hpp"
#include "wire/tcp.hpp"
#include "wire_test_util.hpp"

using namespace netstep;
using namespace netstep::wire;
using namespace netstep::wire_test;

namespace {
const Ipv4Address client{10, 0, 0, 1};
const Ipv4Address server{10, 0, 0, 2};

struct Segment {
  Bytes bytes;
  Ipv4Address source, destination;
};
Segment segment_of(Bytes eth) {
  auto ip = Ipv4View::check(link_payload(eth));
  return {ip_payload(eth), ip->source(), ip->destination()};
}

TcpRepr parse_ok(const Segment& s) {
  auto r = TcpRepr::parse(s.bytes, s.source, s.destination);
  REQUIRE(r.ok());
  return *r;
}

WireError parse_error(Bytes segment) {
  auto r = TcpRepr::parse(segment, client, server);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

void check_emits_identical(const Segment& s) {
  const TcpRepr tcp = parse_ok(s);
  std::vector<std::byte> out(tcp.length());
  tcp.emit(out, s.source, s.destination);
  CHECK(same_bytes(out, s.bytes));
}
}  // namespace

TEST_CASE("golden SYN: mss 1460, sackOK, TS, wscale 10", "[wire][tcp][golden]") {
  // tcpdump: 10.0.0.1.49152 > 10.0.0.2.80: Flags [S], seq 3334061785, win 64240,
  //          options [mss 1460,sackOK,TS val 1309079493 ecr 0,nop,wscale 10], length 0
  const TcpRepr syn = parse_ok(segment_of(frame(golden::tcp_0)));
  CHECK(syn.source_port == Port{49152});
  CHECK(syn.destination_port == Port{80});
  CHECK(syn.flags == TcpFlags{TcpFlags::syn});
  CHECK(syn.seq == SeqNum{3334061785u});
  CHECK(syn.window == 64240);
  CHECK(syn.mss == 1460);
  CHECK(syn.sack_permitted);
  REQUIRE(syn.timestamps);
  CHECK(syn.timestamps->value == 1309079493u);
  CHECK(syn.timestamps->echo == 0);
  CHECK(syn.window_scale == 10);
  CHECK(syn.sack_count == 0);
  CHECK(syn.payload.empty());
  CHECK(syn.header_length() == 40);
  CHECK(syn.sequence_length() == 1);
  CHECK(to_string(syn) == "49152 > 80 [SYN] seq 3334061785 win 64240 <mss 1460,sackOK,TS val 1309079493 ecr 0,wscale 10>");
}

TEST_CASE("golden SYN-ACK acknowledges the SYN and echoes its timestamp", "[wire][tcp][golden]") {
  // tcpdump: Flags [S.], seq 3039508217, ack 3334061786, win 65160,
  //          options [mss 1460,sackOK,TS val 2812501322 ecr 1309079493,nop,wscale 10]
  const TcpRepr syn_ack = parse_ok(segment_of(frame(golden::tcp_1)));
  CHECK(to_string(syn_ack.flags) == "SYN,ACK");
  CHECK(syn_ack.seq == SeqNum{3039508217u});
  CHECK(syn_ack.ack == SeqNum{3334061786u});
  CHECK(syn_ack.window == 65160);
  CHECK(syn_ack.timestamps == TcpTimestamps{2812501322u, 1309079493u});
}

TEST_CASE("golden data segment: PSH,ACK with 6 bytes and nop,nop,TS", "[wire][tcp][golden]") {
  const TcpRepr data = parse_ok(segment_of(frame(golden::tcp_3)));
  CHECK(to_string(data.flags) == "PSH,ACK");
  CHECK(data.seq == SeqNum{3334061786u});
  CHECK(data.ack == SeqNum{3039508218u});
  CHECK(data.window == 63);
  CHECK_FALSE(data.mss);
  CHECK_FALSE(data.sack_permitted);
  CHECK(data.header_length() == 32);
  CHECK(same_bytes(data.payload, text_bytes("hello\n")));
  CHECK(data.sequence_length() == 6);
  auto fin = parse_ok(segment_of(frame(golden::tcp_7)));
  CHECK(to_string(fin.flags) == "FIN,ACK");
  CHECK(fin.sequence_length() == 1);
}

TEST_CASE("golden RST to a closed port: RST,ACK, window 0, no options", "[wire][tcp][golden]") {
  // tcpdump: 10.0.0.2.81 > 10.0.0.1.49152: Flags [R.], seq 0, ack 329191137, win 0, length 0
  const TcpRepr syn = parse_ok(segment_of(frame(golden::rst_0)));
  CHECK(syn.seq == SeqNum{329191136u});
  const TcpRepr rst = parse_ok(segment_of(frame(golden::rst_1)));
  CHECK(to_string(rst.flags) == "RST,ACK");
  CHECK(rst.seq == SeqNum{0});
  CHECK(rst.ack == syn.seq + 1);
  CHECK(rst.window == 0);
  CHECK(rst.header_length() == 20);
  CHECK(to_string(rst) == "81 > 49152 [RST,ACK] seq 0 ack 329191137 win 0");
}

TEST_CASE("every golden TCP segment emits back to the captured bytes", "[wire][tcp][golden]") {
  for (auto g : {frame(golden::tcp_0), frame(golden::tcp_1), frame(golden::tcp_2), frame(golden::tcp_3),
                 frame(golden::tcp_4), frame(golden::tcp_5), frame(golden::tcp_6), frame(golden::tcp_7),
                 frame(golden::tcp_8), frame(golden::tcp_9), frame(golden::rst_0), frame(golden::rst_1)}) {
    check_emits_identical(segment_of(g));
  }
}

TEST_CASE("every truncation of a TCP segment is refused", "[wire][tcp][truncation]") {
  for (auto g : {frame(golden::tcp_0), frame(golden::tcp_3)}) {
    const Segment s = segment_of(g);
    for (std::size_t n = 0; n < s.bytes.size(); ++n) {
      INFO("prefix " << n);
      auto r = TcpRepr::parse(s.bytes.first(n), s.source, s.destination);
      REQUIRE_FALSE(r.ok());
      const std::size_t header = TcpView::check(s.bytes)->header_length();
      if (n < 20) CHECK(r.error() == WireError::Truncated);
      else if (n < header) CHECK(r.error() == WireError::BadHeaderLength);
      else CHECK(r.error() == WireError::BadChecksum);  // the pseudo-header length no longer matches
    }
  }
}

TEST_CASE("impossible data offsets are BadHeaderLength", "[wire][tcp]") {
  const Segment s = segment_of(frame(golden::tcp_2));  // 32-byte header
  auto poke_offset = [&](std::uint8_t words) {
    auto d = copy_of(s.bytes);
    d[12] = std::byte(words << 4);
    return d;
  };
  CHECK(parse_error(poke_offset(15)) == WireError::BadHeaderLength);
  CHECK(parse_error(poke_offset(9)) == WireError::BadHeaderLength);
  for (std::uint8_t w = 0; w < 5; ++w) CHECK(parse_error(poke_offset(w)) == WireError::BadHeaderLength);
}

TEST_CASE("options round trip: MSS, SACK-permitted, timestamps, window scale, SACK blocks", "[wire][tcp][options]") {
  TcpRepr repr;
  repr.source_port = Port{80};
  repr.destination_port = Port{49152};
  repr.seq = SeqNum{0xfffffff0u};
  repr.ack = SeqNum{7};
  repr.flags = TcpFlags{TcpFlags::ack};
  repr.window = 512;
  repr.urgent_pointer = 0;
  std::vector<std::byte> data(3, std::byte{'x'});
  repr.payload = data;

  SECTION("SACK blocks with timestamps: up to 3 fit") {
    repr.timestamps = TcpTimestamps{1, 2};
    repr.sack_count = 4;
    for (std::uint32_t i = 0; i < 4; ++i) repr.sack_blocks[i] = {SeqNum{100 * i}, SeqNum{100 * i + 50}};
    CHECK(repr.header_length() == 60);  // 20 + 12 TS + 4 + 3 * 8
    std::vector<std::byte> out(repr.length());
    repr.emit(out, server, client);
    auto back = TcpRepr::parse(out, server, client);
    REQUIRE(back.ok());
    CHECK(back->sack_count == 3);
    CHECK(back->sack_blocks[2] == SackBlock{SeqNum{200}, SeqNum{250}});
    CHECK(back->timestamps == TcpTimestamps{1, 2});
    CHECK(same_bytes(back->payload, data));
    CHECK(to_string(*back) ==
          "80 > 49152 [ACK] seq 4294967280 ack 7 win 512 <TS val 1 ecr 2,sack 0:50,sack 100:150,sack 200:250>, 3 bytes");
  }
  SECTION("four SACK blocks alone") {
    repr.sack_count = 4;
    for (std::uint32_t i = 0; i < 4; ++i) repr.sack_blocks[i] = {SeqNum{i}, SeqNum{i + 1}};
    CHECK(repr.header_length() == 56);
    std::vector<std::byte> out(repr.length());
    repr.emit(out, server, client);
    auto back = TcpRepr::parse(out, server, client);
    REQUIRE(back.ok());
    CHECK(back->sack_count == 4);
    CHECK(back->sack_blocks[3] == SackBlock{SeqNum{3}, SeqNum{4}});
  }
  SECTION("SYN options without timestamps: nop,nop,sackOK and nop,wscale") {
    repr.flags = TcpFlags{TcpFlags::syn};
    repr.mss = 536;
    repr.sack_permitted = true;
    repr.window_scale = 14;
    CHECK(repr.header_length() == 32);
    std::vector<std::byte> out(repr.length());
    repr.emit(out, server, client);
    CHECK(load_u8(out, 24) == tcp_option::nop);
    CHECK(load_u8(out, 26) == tcp_option::sack_permitted);
    auto back = TcpRepr::parse(out, server, client);
    REQUIRE(back.ok());
    CHECK(back->mss == 536);
    CHECK(back->sack_permitted);
    CHECK(back->window_scale == 14);
    CHECK_FALSE(back->timestamps);
  }
}

TEST_CASE("unknown options are skipped, malformed lengths are BadOption", "[wire][tcp][options]") {
  // A 24-byte header whose 4 option bytes we choose; the checksum is refreshed.
  auto with_options = [](std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    TcpRepr repr;
    repr.flags = TcpFlags{TcpFlags::syn};
    repr.mss = 1;  // makes room for 4 option bytes, then overwritten
    std::vector<std::byte> out(repr.length());
    repr.emit(out, client, server);
    out[20] = std::byte{a}, out[21] = std::byte{b}, out[22] = std::byte{c}, out[23] = std::byte{d};
    out[16] = out[17] = std::byte{0};
    ChecksumAccumulator acc;
    add_pseudo_header(acc, client, server, 6, static_cast<std::uint16_t>(out.size()));
    acc.add(out);
    store_be16(out, 16, acc.checksum());
    return out;
  };
  CHECK(TcpRepr::parse(with_options(30, 4, 0xaa, 0xbb), client, server).ok());  // MPTCP-ish kind 30: skipped
  CHECK(TcpRepr::parse(with_options(1, 1, 1, 0), client, server).ok());          // NOPs then EOL
  CHECK(TcpRepr::parse(with_options(0, 0xff, 0xff, 0xff), client, server).ok()); // EOL: the rest is padding
  CHECK(parse_error(with_options(30, 0, 0, 0)) == WireError::BadOption);         // length 0
  CHECK(parse_error(with_options(30, 1, 0, 0)) == WireError::BadOption);         // length 1
  CHECK(parse_error(with_options(30, 5, 0, 0)) == WireError::BadOption);         // past the header
  CHECK(parse_error(with_options(1, 1, 1, 30)) == WireError::BadOption);         // no room for a length byte
  CHECK(parse_error(with_options(2, 3, 0, 0)) == WireError::BadOption);          // MSS must be 4 long
  CHECK(parse_error(with_options(4, 3, 0, 0)) == WireError::BadOption);          // SACK-permitted must be 2
  CHECK(parse_error(with_options(5, 4, 0, 0)) == WireError::BadOption);          // SACK: 2 + 8n
  CHECK(parse_error(with_options(3, 4, 0, 0)) == WireError::BadOption);          // window scale must be 3
}

TEST_CASE("a checksum that does not verify is BadChecksum", "[wire][tcp]") {
  const Segment s = segment_of(frame(golden::tcp_3));
  auto flipped = copy_of(s.bytes);
  flipped[35] ^= std::byte{0x20};
  CHECK(TcpRepr::parse(flipped, s.source, s.destination).error() == WireError::BadChecksum);
  CHECK(TcpRepr::parse(s.bytes, s.source, Ipv4Address{10, 0, 0, 9}).error() == WireError::BadChecksum);
}

TEST_CASE("flags print in the order people say them", "[wire][tcp]") {
  CHECK(to_string(TcpFlags{}) == "none");
  CHECK(to_string(TcpFlags{TcpFlags::fin} | TcpFlags{TcpFlags::ack} | TcpFlags{TcpFlags::psh}) == "FIN,PSH,ACK");
  CHECK(to_string(TcpFlags{0xff}) == "SYN,FIN,RST,PSH,URG,ECE,CWR,ACK");
  CHECK(TcpFlags{0x12}.syn_set());
  CHECK(TcpFlags{0x12}.ack_set());
  CHECK_FALSE(TcpFlags{0x12}.rst_set());
}

TEST_CASE("emit writes the same bytes whether the payload is elsewhere, in place, or overlapping", "[wire][tcp]") {
  // The payload is summed while it is copied (copy_and_sum) when it comes
  // from elsewhere, and summed apart when it is already where it belongs.
  for (const std::size_t length : {1u, 6u, 127u, 128u, 1459u, 1460u, 1461u}) {
    for (const bool with_timestamps : {false, true}) {
      TcpRepr repr;
      repr.source_port = Port{49152};
      repr.destination_port = Port{80};
      repr.seq = SeqNum{1000};
      repr.ack = SeqNum{2000};
      repr.flags = TcpFlags{TcpFlags::ack | TcpFlags::psh};
      repr.window = 65535;
      if (with_timestamps) repr.timestamps = TcpTimestamps{7, 8};
      std::vector<std::byte> data(length);
      for (std::size_t i = 0; i < length; ++i) data[i] = std::byte{static_cast<std::uint8_t>(i * 7 + 3)};
      const std::size_t header = repr.header_length();
      INFO("payload " << length << (with_timestamps ? " with timestamps" : ""));

      repr.payload = data;
      std::vector<std::byte> from_elsewhere(repr.length());
      repr.emit(from_elsewhere, client, server);
      REQUIRE(TcpRepr::parse(from_elsewhere, client, server).ok());

      std::vector<std::byte> in_place(repr.length());
      std::copy(data.begin(), data.end(), in_place.begin() + static_cast<std::ptrdiff_t>(header));
      repr.payload = Bytes{in_place}.subspan(header);
      repr.emit(in_place, client, server);
      CHECK(in_place == from_elsewhere);

      // The payload a few bytes before where it goes, in the same buffer.
      std::vector<std::byte> overlapping(repr.length());
      std::copy(data.begin(), data.end(), overlapping.begin() + static_cast<std::ptrdiff_t>(header - 4));
      repr.payload = Bytes{overlapping}.subspan(header - 4, length);
      repr.emit(overlapping, client, server);
      CHECK(overlapping == from_elsewhere);
    }
  }
}
