/*
 * Lab 7, starter: send one UDP request to a peer from a given local port
 * and wait for the answer from that peer, ignoring datagrams from anybody
 * else. The argument is "PEER LOCALPORT", e.g. "10.0.0.2:7000 5000".
 *
 * lab_main must return 0 when the peer answered, the error the socket
 * reported when the peer's port is closed (positive, in the personality's
 * numbers), or the personality's ETIMEDOUT when no answer came within
 * about 2 s. It reports "outcome" (answered, refused, no-answer, other)
 * and, when answered, "bytes" (the answer's length).
 *
 * This version works on Linux when the server answers. Run it under all
 * five personalities and against a closed port and a silent network.
 */
#include <stdio.h>

#include "netstep_lab.h"

int lab_main(const char *argument) {
  char peer[64];
  int local_port = 0;
  if (sscanf(argument, "%63s %d", peer, &local_port) != 2) return -1;
  char local[32];
  snprintf(local, sizeof local, "0.0.0.0:%d", local_port);

  char reply[1500];
  int fd = ns_socket(NS_SOCK_DGRAM);
  ns_bind(fd, local);
  if (ns_connect(fd, peer) < 0) {
    ns_report("outcome", "other");
    return ns_errno();
  }
  ns_send(fd, "ping", 4, 0);
  long n = ns_recv(fd, reply, sizeof reply, 0);
  ns_close(fd);
  if (n < 0) {
    if (ns_errno() == 111) { /* ECONNREFUSED */
      ns_report("outcome", "refused");
      return 111;
    }
    ns_report("outcome", "other");
    return ns_errno();
  }
  char bytes[32];
  snprintf(bytes, sizeof bytes, "%ld", n);
  ns_report("bytes", bytes);
  ns_report("outcome", "answered");
  return 0;
}
