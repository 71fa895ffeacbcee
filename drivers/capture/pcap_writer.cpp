#include "capture/pcap_writer.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "capture/pcapng_blocks.hpp"

namespace netstep::capture {

namespace {
std::runtime_error cannot_write(const std::string& path, std::string_view reason) {
  return std::runtime_error{"cannot write " + path + ": " + std::string{reason}};
}
}  // namespace

PcapWriter::PcapWriter(std::string path, std::vector<CaptureLink> links, CaptureOptions options)
    : path_{std::move(path)},
      topology_{std::move(links)},
      annotator_{topology_, *this, options, FrameAnnotator::Comments::Off} {
  std::FILE* file = std::fopen(path_.c_str(), "wb");
  if (file == nullptr) throw cannot_write(path_, std::strerror(errno));
  // One write(2) per 256 KiB instead of per 4 KiB (about three frames).
  std::setvbuf(file, nullptr, _IOFBF, std::size_t{256} << 10);
  dead_ = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, static_cast<int>(pcapng::snap_length),
                                               PCAP_TSTAMP_PRECISION_NANO);
  if (dead_ == nullptr) {
    std::fclose(file);
    throw cannot_write(path_, "libpcap could not make a capture handle");
  }
  dumper_ = pcap_dump_fopen(dead_, file);  // writes the file header
  if (dumper_ == nullptr) {
    const std::string reason = pcap_geterr(dead_);
    std::fclose(file);
    pcap_close(dead_);
    throw cannot_write(path_, reason);
  }
}

PcapWriter::~PcapWriter() { close(); }

void PcapWriter::receive(const TraceEvent& event) {
  if (dumper_ != nullptr) annotator_.receive(event);
}

void PcapWriter::finish() {
  if (dumper_ == nullptr) return;
  annotator_.flush();
  // pcap_dump() reports nothing: a failed write shows as the FILE's error
  // flag, or when the buffered rest is flushed.
  errno = 0;
  const bool flushed = pcap_dump_flush(dumper_) == 0;
  const bool failed = !flushed || std::ferror(pcap_dump_file(dumper_)) != 0;
  const int error = errno;
  close();
  if (failed) throw cannot_write(path_, error != 0 ? std::strerror(error) : "write failed");
}

void PcapWriter::close() {
  if (dumper_ != nullptr) pcap_dump_close(dumper_);
  if (dead_ != nullptr) pcap_close(dead_);
  dumper_ = nullptr;
  dead_ = nullptr;
}

void PcapWriter::write_frame(const CapturedFrame& frame) {
  const std::int64_t ns = std::max<std::int64_t>(0, to_ns(frame.time));
  pcap_pkthdr header{};
  // With nanosecond precision, tv_usec carries nanoseconds.
  header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(ns / 1'000'000'000);
  header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>(ns % 1'000'000'000);
  header.len = static_cast<bpf_u_int32>(frame.bytes.size());
  header.caplen = static_cast<bpf_u_int32>(std::min<std::size_t>(frame.bytes.size(), pcapng::snap_length));
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, reinterpret_cast<const u_char*>(frame.bytes.data()));
  ++frames_written_;
}

}  // namespace netstep::capture
