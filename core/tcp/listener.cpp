#include "tcp/listener.hpp"

#include <algorithm>

#include "tcp/tcp_layer.hpp"

namespace netstep::tcp {

Listener::Listener(TcpLayer& layer, Endpoint local, int backlog, SharedConfigPtr config)
    : layer_{layer},
      local_{local},
      // Linux clamps a zero or negative backlog up as well (to its minimum of
      // one pending connection).
      backlog_{backlog < 1 ? std::size_t{1} : static_cast<std::size_t>(backlog)},
      config_{std::move(config)} {}

Connection* Listener::accept() {
  if (accept_queue_.empty()) return nullptr;
  Connection* c = accept_queue_.front();
  accept_queue_.pop_front();
  layer_.adopt_from_listener(*c);
  return c;
}

void Listener::promote(Connection& c) {
  const auto it = std::find(syn_queue_.begin(), syn_queue_.end(), &c);
  if (it == syn_queue_.end()) return;
  syn_queue_.erase(it);
  accept_queue_.push_back(&c);
  if (observer_ != nullptr) observer_->connection_queued(*this);
}

void Listener::forget(Connection& c) {
  std::erase(syn_queue_, &c);
  std::erase(accept_queue_, &c);
}

}  // namespace netstep::tcp
