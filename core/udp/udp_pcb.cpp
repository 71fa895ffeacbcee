#include "udp/udp_pcb.hpp"

#include <utility>

#include "udp/udp_layer.hpp"

namespace netstep::udp {

UdpPcb::UdpPcb(UdpLayer& layer, Endpoint local, bool port_chosen, bool reuse_address, std::size_t receive_buffer)
    : layer_{layer},
      local_{local},
      port_chosen_{port_chosen},
      reuse_address_{reuse_address},
      receive_buffer_{receive_buffer} {}

Result<Endpoint, UdpError> UdpPcb::connect(Endpoint remote, bool check_broadcast) {
  return layer_.connect(*this, remote, check_broadcast);
}

void UdpPcb::disconnect(bool release_auto_port) { layer_.disconnect(*this, release_auto_port); }

Result<SendStatus, UdpError> UdpPcb::send_to(Endpoint destination, Bytes data) {
  // Linux's udp_sendmsg: an explicit destination port 0 is EINVAL (a peer
  // connected on port 0 is sent to as it is).
  if (destination.port.is_zero()) return Failure{UdpError::InvalidDestination};
  return layer_.send(*this, destination, data, /*check_broadcast=*/true);
}

Result<SendStatus, UdpError> UdpPcb::send(Bytes data) {
  if (!peer_) return Failure{UdpError::DestinationRequired};
  return layer_.send(*this, *peer_, data, /*check_broadcast=*/false);
}

void UdpPcb::discard_queue() {
  queue_.clear();
  queued_bytes_ = 0;
  queue_charge_ = 0;
}

std::optional<Datagram> UdpPcb::receive() {
  if (queue_.empty()) return std::nullopt;
  Datagram oldest = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= oldest.data.size();
  queue_charge_ -= oldest.data.size() + sizeof(Datagram);
  return oldest;
}

std::optional<UdpIcmpError> UdpPcb::take_error() { return std::exchange(error_, std::nullopt); }

bool UdpPcb::enqueue(Endpoint from, Endpoint to, Bytes payload) {
  // Linux's __udp_enqueue_schedule_skb: refused only when what is queued
  // already exceeds the buffer.
  if (queue_charge_ > receive_buffer_) return false;
  queue_.push_back(Datagram{from, to, std::vector<std::byte>(payload.begin(), payload.end())});
  queued_bytes_ += payload.size();
  queue_charge_ += payload.size() + sizeof(Datagram);
  return true;
}

void UdpPcb::record_error(const UdpIcmpError& error) { error_ = error; }

void UdpPcb::notify_readable() {
  if (observer_ != nullptr && !released_) observer_->udp_readable(*this);
}

void UdpPcb::notify_error() {
  if (observer_ != nullptr && !released_) observer_->udp_error(*this);
}

}  // namespace netstep::udp
