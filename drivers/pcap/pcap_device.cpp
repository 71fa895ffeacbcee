#include "pcap/pcap_device.hpp"

#include <net/if.h>
#include <pcap/pcap.h>

#include "live/live_error.hpp"
#include "pcap/bpf_filter.hpp"

namespace netstep::live {

namespace {

std::string activation_error(pcap_t* handle, int status, const std::string& interface) {
  const std::string detail = pcap_geterr(handle);
  switch (status) {
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return "no interface named '" + interface + "' (interfaces that exist: " + pcap_interfaces() + ")";
    case PCAP_ERROR_PERM_DENIED:
      return "no permission to capture on " + interface + " (" + detail + "); " + privilege_fix;
    case PCAP_ERROR_IFACE_NOT_UP:
      return "interface " + interface + " is down: bring it up first (sudo ip link set " + interface + " up)";
    default: return "cannot open " + interface + " with libpcap: " + detail;
  }
}

}  // namespace

std::string pcap_interfaces() {
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_if_t* all = nullptr;
  if (pcap_findalldevs(&all, error) != 0 || all == nullptr) return "none found";
  std::string names;
  for (const pcap_if_t* i = all; i != nullptr; i = i->next) {
    // Only network interfaces: not "any", nflog, dbus-system and the like.
    if (if_nametoindex(i->name) == 0) continue;
    names += (names.empty() ? "" : ", ") + std::string{i->name};
  }
  pcap_freealldevs(all);
  return names.empty() ? "none found" : names;
}

PcapDevice::PcapDevice(TraceBus& bus, const PcapConfig& config)
    : LiveDevice{bus, config.host, config.interface, config.mac}, interface_{config.interface} {
  char error[PCAP_ERRBUF_SIZE] = {};
  handle_ = pcap_create(interface_.c_str(), error);
  if (handle_ == nullptr) throw LiveError("cannot open " + interface_ + " with libpcap: " + error);
  try {
    pcap_set_snaplen(handle_, 65535);
    pcap_set_promisc(handle_, 0);  // the filter asks for our MAC; no need to see the whole segment
    pcap_set_immediate_mode(handle_, 1);
    const int status = pcap_activate(handle_);
    if (status < 0) throw LiveError(activation_error(handle_, status, interface_));
    if (pcap_datalink(handle_) != DLT_EN10MB) {
      throw LiveError(interface_ + " is not an Ethernet interface (libpcap link type " +
                      std::to_string(pcap_datalink(handle_)) + "); choose an Ethernet one: " + pcap_interfaces());
    }
    // Our own injected frames would come back as captured: only take what arrives.
    pcap_setdirection(handle_, PCAP_D_IN);
    bpf_program program{};
    const std::string filter = frames_for(config.mac);
    if (pcap_compile(handle_, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      throw LiveError("cannot compile the filter '" + filter + "': " + pcap_geterr(handle_));
    }
    const int set = pcap_setfilter(handle_, &program);
    pcap_freecode(&program);
    if (set != 0) throw LiveError("cannot set the filter on " + interface_ + ": " + pcap_geterr(handle_));
    if (pcap_setnonblock(handle_, 1, error) != 0) throw LiveError("cannot make " + interface_ + " non-blocking: " + error);
    fd_ = pcap_get_selectable_fd(handle_);
    if (fd_ < 0) throw LiveError("libpcap has no selectable descriptor for " + interface_);
    membership_.emplace(interface_, config.mac);
  } catch (...) {
    pcap_close(handle_);
    throw;
  }
}

PcapDevice::~PcapDevice() { pcap_close(handle_); }

std::uint64_t PcapDevice::frames_dropped_below() const {
  pcap_stat stats{};
  if (pcap_stats(handle_, &stats) != 0) return 0;
  return stats.ps_drop;
}

ReadStatus PcapDevice::read_frame(Bytes& frame) {
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int status = pcap_next_ex(handle_, &header, &data);
  if (status == 1) {
    // A frame longer than the snapshot would be cut: hand on its real length
    // as a giant (dropped) rather than a plausible shorter frame.
    if (header->len > header->caplen) {
      drop("frame longer than the capture snapshot", Bytes{reinterpret_cast<const std::byte*>(data), header->caplen});
      return ReadStatus::Empty;
    }
    frame = Bytes{reinterpret_cast<const std::byte*>(data), header->caplen};
    return ReadStatus::Frame;
  }
  if (status == 0) return ReadStatus::Empty;
  if (status == PCAP_ERROR_IFACE_NOT_UP) {
    fail("interface " + interface_ + " went down");
  } else {
    fail("reading " + interface_ + " failed: " + pcap_geterr(handle_));
  }
  return ReadStatus::Failed;
}

bool PcapDevice::write_frame(Bytes frame, std::string_view& why) {
  if (pcap_inject(handle_, frame.data(), frame.size()) == static_cast<int>(frame.size())) return true;
  why = "libpcap could not inject the frame (interface down?)";
  return false;
}

}  // namespace netstep::live
