#pragma once
// A passive OPEN (RFC 9293 3.10.1, "LISTEN"): one local endpoint, a specific
// address or the wildcard 0.0.0.0, and the two queues every BSD-derived
// stack keeps behind listen():
//
//   SYN queue     connections in SYN-RECEIVED: our SYN,ACK is out, the
//                 peer's ACK is not in yet;
//   accept queue  connections that reached ESTABLISHED (or went on to
//                 CLOSE-WAIT) and that no one has accept()ed yet.
//
// Each queue holds at most `backlog` connections. A SYN that finds either
// full is dropped without an answer (traced "listen queue full"), as Linux
// does with syncookies off: the client's SYN schedule tries again later.
// The queues point into the TCP layer's demultiplexer, which owns the
// connections; a connection that closes while queued leaves its queue.
#include <cstddef>
#include <deque>
#include <vector>

#include "base/port.hpp"
#include "tcp/shared_config.hpp"
#include "tcp/tcp_config.hpp"

namespace netstep::tcp {

class Connection;
class TcpLayer;

class Listener {
 public:
  // backlog < 1 counts as 1. `config` configures each accepted connection.
  Listener(TcpLayer& layer, Endpoint local, int backlog, SharedConfigPtr config);
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The oldest connection of the accept queue, now the caller's (as if
  // returned by TcpLayer::connect: give it back with TcpLayer::release), or
  // nullptr if the queue is empty.
  Connection* accept();
  // Connections waiting in the accept queue.
  [[nodiscard]] std::size_t pending() const { return accept_queue_.size(); }
  // Connections still in the handshake.
  [[nodiscard]] std::size_t half_open() const { return syn_queue_.size(); }

  [[nodiscard]] Endpoint local() const { return local_; }
  [[nodiscard]] std::size_t backlog() const { return backlog_; }
  [[nodiscard]] const TcpConfig& config() const { return config_->tcp; }
  // Told when a connection joins the accept queue (the socket layer wakes a
  // task blocked in accept()). Called from inside TCP: it must only note it.
  class Observer {
   public:
    virtual ~Observer() = default;
    virtual void connection_queued(Listener& listener) = 0;
  };
  void set_observer(Observer* observer) { observer_ = observer; }

  // A new SYN is dropped while this holds.
  [[nodiscard]] bool full() const { return syn_queue_.size() >= backlog_ || accept_queue_.size() >= backlog_; }

 private:
  friend class TcpLayer;  // the layer moves connections between the queues

  void add_half_open(Connection& c) { syn_queue_.push_back(&c); }
  void promote(Connection& c);  // SYN queue -> accept queue (reached ESTABLISHED)
  void forget(Connection& c);   // closed while queued, or the listener is closing

  TcpLayer& layer_;
  Endpoint local_;
  std::size_t backlog_;
  SharedConfigPtr config_;
  // Small (bounded by the backlog) and searched only when a handshake
  // completes or a queued connection dies, so plain sequences suffice.
  std::vector<Connection*> syn_queue_;
  std::deque<Connection*> accept_queue_;
  Observer* observer_ = nullptr;
};

}  // namespace netstep::tcp
