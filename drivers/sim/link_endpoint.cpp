#include "sim/link_endpoint.hpp"

#include "sim/link.hpp"
#include "wire/ethernet.hpp"

namespace netstep::sim {

std::size_t frame_limit(std::size_t mtu, Bytes frame) {
  const bool tagged = frame.size() >= wire::EthernetView::header_length_untagged &&
                      load_be16(frame, 12) == wire::ethertype::vlan;
  return mtu + wire::EthernetView::header_length_untagged + (tagged ? wire::EthernetView::vlan_tag_length : 0);
}

bool LinkEndpoint::send_to_link(Bytes frame) {
  if (link_ == nullptr) return false;
  link_->send_from(side_, frame);
  return true;
}

}  // namespace netstep::sim
