// The captures judged by Wireshark's own dissectors (tshark): nothing
// malformed, no bad checksum with validation on, the comments there, and
// TCP analysis that sees netstep's retransmissions as retransmissions and
// nothing else as one. Skipped, visibly, where tshark is not installed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "capture/pcap_writer.hpp"
#include "capture_scenarios.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {

// Anything Wireshark finds wrong: a malformed packet, an expert error, or a
// checksum it verified and found bad (status 0).
const std::string trouble =
    "_ws.malformed || _ws.expert.severity >= \"Error\" || ip.checksum.status == 0 || "
    "tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0";

bool tshark_missing() {
  if (on_path("tshark")) return false;
  WARN("SKIPPED: tshark not installed (Debian: apt-get install tshark)");
  return true;
}

std::string write_file(const TempDir& dir, const std::string& name, const std::string& bytes) {
  const std::string path = dir.file(name);
  std::ofstream{path, std::ios::binary} << bytes;
  return path;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// Runs tshark and requires it to succeed.
std::vector<std::string> fields(const std::string& file, const std::vector<std::string>& arguments) {
  const TsharkResult result = tshark(file, arguments);
  INFO("tshark stderr: " << result.errors);
  REQUIRE(result.status == 0);
  return result.lines;
}

void check_nothing_wrong(const std::string& file) {
  const auto wrong = fields(file, {"-Y", trouble});
  INFO(joined(wrong));
  CHECK(wrong.empty());
  // Checksums were verified, not skipped: every one is "Good".
  const auto unverified = fields(file, {"-Y", "(ip && ip.checksum.status != 1) || (tcp && tcp.checksum.status != 1)"});
  INFO(joined(unverified));
  CHECK(unverified.empty());
}

// The TCP segments of the frames that match `filter`.
std::vector<SegmentKey> segments(const std::string& file, const std::string& filter) {
  std::vector<SegmentKey> found;
  for (const std::string& line :
       fields(file, {"-Y", filter, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.seq_raw", "-e", "tcp.len"})) {
    std::istringstream in{line};
    unsigned port = 0;
    std::uint64_t seq = 0;
    std::size_t length = 0;
    in >> port >> seq >> length;
    found.push_back(SegmentKey{static_cast<std::uint16_t>(port), static_cast<std::uint32_t>(seq), length});
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

TEST_CASE("tshark reads the handshake capture: nothing malformed, checksums good, comments shown, no retransmission",
          "[capture][tshark]") {
  if (tshark_missing()) return;
  TempDir dir;
  CaptureNet net;
  spawn_handshake(net);
  const std::string file = write_file(dir, "handshake.pcapng", net.finish());

  check_nothing_wrong(file);
  const auto frames = fields(file, {"-T", "fields", "-e", "frame.interface_name", "-e", "frame.comment"});
  CHECK(frames.size() == net.pcapng.frames_written());
  const std::string text = joined(frames);
  INFO(text);
  CHECK(text.find("client-lan\tclient: socket(3) -> 3") != std::string::npos);
  CHECK(text.find("connect(3) -> -1, errno EINPROGRESS (115)") != std::string::npos);
  CHECK(text.find("server-lan\tclient on receipt: ") != std::string::npos);
  CHECK(text.find("CLOSED -> SYN-RECEIVED") != std::string::npos);
  CHECK(fields(file, {"-Y", "frame.comment contains \"SYN-SENT -> ESTABLISHED\""}).size() == 1);
  CHECK(fields(file, {"-Y", "tcp.analysis.retransmission || tcp.analysis.flags && !tcp.analysis.window_update"})
            .empty());
}

TEST_CASE("Wireshark's own pcapng file dissector finds every block well formed", "[capture][tshark]") {
  if (tshark_missing()) return;
  TempDir dir;
  topology::DefaultTopologyOptions lossy;
  lossy.loss = 0.05;
  CaptureNet net{lossy};
  spawn_transfer(net, 32 * 1024);
  const std::string file = write_file(dir, "blocks.pcapng", net.finish());

  // Read as a file of blocks, not as packets (the "MIME Files Format").
  const auto structure = fields(file, {"-X", "read_format:MIME Files Format", "-V"});
  const std::string text = joined(structure);
  CHECK(text.find("PCAPNG File Format") != std::string::npos);
  CHECK(text.find("User Application: netstep ") != std::string::npos);
  CHECK(text.find("Name: wan") != std::string::npos);
  CHECK(text.find("Timestamp Resolution: 0x09") != std::string::npos);
  CHECK(text.find("Option: Comment = client: ") != std::string::npos);
  const auto wrong =
      fields(file, {"-X", "read_format:MIME Files Format", "-Y", "_ws.expert || _ws.malformed", "-V"});
  INFO(joined(wrong));
  CHECK(wrong.empty());
}

TEST_CASE("tshark reads a refused connect: RST answered, comments tell ECONNREFUSED", "[capture][tshark]") {
  if (tshark_missing()) return;
  TempDir dir;
  CaptureNet net;
  spawn_refused(net);
  const std::string file = write_file(dir, "refused.pcapng", net.finish());

  check_nothing_wrong(file);
  const auto rst = fields(file, {"-Y", "tcp.flags.reset == 1", "-T", "fields", "-e", "frame.comment"});
  REQUIRE(rst.size() == 1);
  CHECK(rst[0].find("connect(3) -> -1, errno ECONNREFUSED (111)") != std::string::npos);
  CHECK(fields(file, {"-Y", "tcp.analysis.retransmission"}).empty());
}

TEST_CASE("tshark finds exactly netstep's retransmissions in a lossy transfer, and no others",
          "[capture][tshark]") {
  if (tshark_missing()) return;
  TempDir dir;
  topology::DefaultTopologyOptions lossy;
  lossy.seed = 3;
  lossy.loss = 0.05;
  CaptureNet net{lossy};
  spawn_transfer(net, 256 * 1024);
  const std::string file = write_file(dir, "lossy.pcapng", net.finish());

  check_nothing_wrong(file);
  std::vector<SegmentKey> ours = retransmitted_segments(net.recorder);
  std::sort(ours.begin(), ours.end());
  REQUIRE(ours.size() >= 3);
  // Wireshark calls a segment below the highest sequence number sent a
  // retransmission, or, when it follows the newest segment within the
  // first round-trip time, "out-of-order" (from one capture point it cannot
  // tell the two apart; SACK recovery sends such retransmissions). Between
  // them they must be exactly netstep's retransmissions: nothing counted
  // twice, nothing invented, nothing missed.
  const auto retransmitted = segments(file, "tcp.analysis.retransmission");
  const auto below_highest = segments(file, "tcp.analysis.retransmission || tcp.analysis.out_of_order");
  CHECK(below_highest == ours);
  CHECK(std::includes(ours.begin(), ours.end(), retransmitted.begin(), retransmitted.end()));
  CHECK(retransmitted.size() >= 3);
  CHECK(!fields(file, {"-Y", "frame.comment contains \"impairment: loss\""}).empty());
}

TEST_CASE("tshark reads the classic pcap file: the same frames as the pcapng file", "[capture][tshark]") {
  if (tshark_missing()) return;
  TempDir dir;
  const std::string pcap_file = dir.file("lossy.pcap");
  topology::DefaultTopologyOptions lossy;
  lossy.loss = 0.05;
  CaptureNet net{lossy};
  capture::PcapWriter pcap{pcap_file, capture_links(net.network.network())};
  const Attachment attached{net.bus, pcap};
  spawn_transfer(net, 64 * 1024);
  const std::string pcapng_file = write_file(dir, "lossy.pcapng", net.finish());
  pcap.finish();

  check_nothing_wrong(pcap_file);
  const std::vector<std::string> columns = {"-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e",
                                            "eth.src", "-e", "ip.id", "-e", "tcp.seq_raw"};
  const auto from_pcap = fields(pcap_file, columns);
  CHECK(from_pcap.size() == net.pcapng.frames_written());
  CHECK(from_pcap == fields(pcapng_file, columns));
  CHECK(fields(pcap_file, {"-Y", "frame.comment"}).empty());
}
