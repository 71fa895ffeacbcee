#include "wire/ethernet.hpp"
#include "wire/address_fields.hpp"

#include <cassert>
#include <cstdio>

namespace netstep::wire {

Result<EthernetView, WireError> EthernetView::check(Bytes frame) {
  if (frame.size() < header_length_untagged) return Failure{WireError::Truncated};
  const EthernetView view{frame};
  if (view.has_vlan() && frame.size() < header_length_untagged + vlan_tag_length) {
    return Failure{WireError::Truncated};
  }
  return view;
}

MacAddress EthernetView::destination() const { return load_mac(bytes_, 0); }
MacAddress EthernetView::source() const { return load_mac(bytes_, 6); }

EthernetRepr EthernetRepr::from_view(const EthernetView& view) {
  EthernetRepr repr{view.destination(), view.source(), view.ethertype(), std::nullopt};
  if (view.has_vlan()) {
    const std::uint16_t tci = view.vlan_tci();
    repr.vlan = VlanTag{static_cast<std::uint8_t>(tci >> 13), (tci & 0x1000) != 0,
                        static_cast<std::uint16_t>(tci & 0x0fff)};
  }
  return repr;
}

Result<EthernetRepr, WireError> EthernetRepr::parse(Bytes frame) {
  auto view = EthernetView::check(frame);
  if (!view) return Failure{view.error()};
  return from_view(*view);
}

void EthernetRepr::emit(MutableBytes frame) const {
  assert(frame.size() >= header_length());
  store_mac(frame, 0, destination);
  store_mac(frame, 6, source);
  if (vlan) {
    store_be16(frame, 12, ethertype::vlan);
    const auto tci = static_cast<std::uint16_t>((vlan->priority & 0x7) << 13 | (vlan->drop_eligible ? 0x1000 : 0) |
                                                (vlan->id & 0x0fff));
    store_be16(frame, 14, tci);
    store_be16(frame, 16, ethertype);
  } else {
    store_be16(frame, 12, ethertype);
  }
}

std::string to_string(const EthernetRepr& repr) {
  std::string s = repr.source.to_string() + " > " + repr.destination.to_string();
  if (repr.vlan) s += " vlan " + std::to_string(repr.vlan->id);
  char type[16];
  std::snprintf(type, sizeof type, " type 0x%04x", repr.ethertype);
  return s + type;
}

}  // namespace netstep::wire
