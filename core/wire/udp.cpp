#include "wire/udp.hpp"

#include <cassert>
#include <cstring>

#include "wire/checksum.hpp"
#include "wire/ipv4.hpp"

namespace netstep::wire {

namespace {
std::uint16_t pseudo_checksum(Bytes datagram, Ipv4Address source, Ipv4Address destination) {
  ChecksumAccumulator acc;
  add_pseudo_header(acc, source, destination, ip_protocol::udp, static_cast<std::uint16_t>(datagram.size()));
  acc.add(datagram);
  return acc.checksum();
}
}  // namespace

Result<UdpView, WireError> UdpView::check(Bytes datagram) {
  if (datagram.size() < header_length) return Failure{WireError::Truncated};
  const UdpView view{datagram};
  if (view.length() < header_length || view.length() > datagram.size()) return Failure{WireError::BadTotalLength};
  return view;
}

bool UdpView::checksum_ok(Ipv4Address source, Ipv4Address destination) const {
  return checksum() == 0 || pseudo_checksum(bytes_.first(length()), source, destination) == 0;
}

Result<UdpRepr, WireError> UdpRepr::parse(Bytes datagram, Ipv4Address source, Ipv4Address destination) {
  auto view = UdpView::check(datagram);
  if (!view) return Failure{view.error()};
  if (!view->checksum_ok(source, destination)) return Failure{WireError::BadChecksum};
  return UdpRepr{view->source_port(), view->destination_port(), view->payload()};
}

void UdpRepr::emit(MutableBytes datagram, Ipv4Address source, Ipv4Address destination) const {
  assert(datagram.size() >= length() && length() <= 0xffff);
  if (!payload.empty() && datagram.data() + UdpView::header_length != payload.data()) {
    std::memmove(datagram.data() + UdpView::header_length, payload.data(), payload.size());
  }
  const auto len = static_cast<std::uint16_t>(length());
  store_be16(datagram, 0, source_port.value());
  store_be16(datagram, 2, destination_port.value());
  store_be16(datagram, 4, len);
  store_be16(datagram, 6, 0);
  const std::uint16_t sum = pseudo_checksum(datagram.first(len), source, destination);
  store_be16(datagram, 6, sum == 0 ? 0xffff : sum);
}

std::string to_string(const UdpRepr& repr) {
  return std::to_string(repr.source_port.value()) + " > " + std::to_string(repr.destination_port.value()) +
         " len " + std::to_string(repr.payload.size());
}

}  // namespace netstep::wire
