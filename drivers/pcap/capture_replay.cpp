#include "pcap/capture_replay.hpp"

#include <pcap/pcap.h>

#include "live/live_error.hpp"

namespace netstep::live {

CaptureReader::CaptureReader(const std::string& path) {
  char error[PCAP_ERRBUF_SIZE] = {};
  handle_ = pcap_open_offline(path.c_str(), error);
  if (handle_ == nullptr) throw LiveError("cannot read capture " + path + ": " + error);
  if (const int link_type = pcap_datalink(handle_); link_type != DLT_EN10MB) {
    pcap_close(handle_);
    throw LiveError("capture " + path + " is not Ethernet (libpcap link type " + std::to_string(link_type) + ")");
  }
}

CaptureReader::~CaptureReader() { pcap_close(handle_); }

bool CaptureReader::next(Bytes& frame) {
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  if (pcap_next_ex(handle_, &header, &data) != 1) return false;
  frame = Bytes{reinterpret_cast<const std::byte*>(data), header->caplen};
  return true;
}

std::size_t ReplayDevice::replay(const std::string& path) {
  CaptureReader reader{path};
  std::size_t count = 0;
  Bytes frame;
  while (reader.next(frame)) {
    deliver(frame);
    ++count;
  }
  return count;
}

}  // namespace netstep::live
