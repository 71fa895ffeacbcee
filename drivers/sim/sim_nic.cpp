#include "sim/sim_nic.hpp"

#include "wire/ethernet.hpp"

namespace netstep::sim {

SimNic::SimNic(TraceBus& bus, std::string host, std::string name, MacAddress mac, std::size_t mtu)
    : bus_{&bus}, host_{std::move(host)}, name_{std::move(name)}, mac_{mac}, mtu_{mtu} {}

void SimNic::transmit(Bytes frame) {
  if (frame.size() < wire::EthernetView::header_length_untagged) {
    return drop("frame shorter than an Ethernet header", frame);
  }
  if (frame.size() > frame_limit(mtu_, frame)) return drop("frame larger than the link MTU", frame);
  if (!send_to_link(frame)) return drop("no cable plugged in", frame);
  ++transmitted_;
}

void SimNic::receive_from_link(Bytes frame) {
  // A peer with a larger MTU can send what this card cannot take.
  if (frame.size() > frame_limit(mtu_, frame)) return drop("frame larger than the link MTU", frame);
  ++received_;
  deliver(frame);
}

void SimNic::drop(std::string_view reason, Bytes frame) {
  ++dropped_;
  Tracer{*bus_, host_}.emit(Layer::Driver, Dropped{reason, name_}, frame);
}

}  // namespace netstep::sim
