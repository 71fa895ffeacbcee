/* A program that asks again and again without letting time pass: a
 * non-blocking connect() polled with a timeout of 0. */
#include "netstep_lab.h"
int lab_main(const char *argument) {
  (void)argument;
  int fd = ns_socket(NS_SOCK_STREAM);
  ns_set_nonblocking(fd, 1);
  ns_connect(fd, "10.0.1.2:80");
  struct ns_pollfd p;
  p.fd = fd;
  p.events = NS_POLLOUT;
  p.revents = 0;
  while (ns_poll(&p, 1, 0) == 0) {
  }
  return 0;
}
