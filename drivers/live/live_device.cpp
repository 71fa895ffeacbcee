#include "live/live_device.hpp"

namespace netstep::live {

namespace {
constexpr std::size_t ethernet_header = 14;
}

LiveDevice::LiveDevice(TraceBus& bus, std::string host, std::string name, MacAddress mac, std::size_t mtu)
    : bus_{&bus},
      host_{std::move(host)},
      name_{std::move(name)},
      mac_{mac},
      mtu_{mtu},
      held_{default_hold_capacity, max_frame_for(mtu)} {}

void LiveDevice::transmit(Bytes frame) {
  if (frame.size() < ethernet_header) return drop("frame shorter than an Ethernet header", frame);
  if (frame.size() > max_frame()) return drop("frame larger than the link MTU", frame);
  std::string_view why;
  if (!write_frame(frame, why)) return drop(why, frame);
  ++transmitted_;
}

ReadStatus LiveDevice::drain(bool hold, std::size_t budget) {
  for (std::size_t i = 0; i < budget; ++i) {
    Bytes frame;
    const ReadStatus status = read_frame(frame);
    if (status != ReadStatus::Frame) return status;
    accept(frame, hold);
  }
  return ReadStatus::Frame;
}

void LiveDevice::accept(Bytes frame, bool hold) {
  if (frame.size() < ethernet_header) return drop("received frame shorter than an Ethernet header", frame);
  if (frame.size() > max_frame()) return drop("received frame larger than the link MTU", frame);
  if (hold) {
    if (!held_.push(frame)) drop("paused and the hold queue is full", frame);
    return;
  }
  ++received_;
  deliver(frame);
}

void LiveDevice::release_held() {
  while (!held_.empty()) {
    ++received_;
    deliver(held_.front());
    held_.pop();
  }
}

void LiveDevice::drop(std::string_view reason, Bytes frame) {
  ++dropped_;
  Tracer{*bus_, host_}.emit(Layer::Driver, Dropped{reason, name_}, frame);
}

}  // namespace netstep::live
