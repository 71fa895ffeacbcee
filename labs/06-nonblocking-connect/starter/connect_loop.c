/*
 * Lab 6, the program task: a non-blocking connect() loop.
 *
 * lab_main("10.0.0.2:80 5000"): connect to the address, give up after the
 * deadline (milliseconds of virtual time; 30000 if none is given).
 * Return 0 when connected, else the error you concluded, as a positive
 * number in the running personality's numbers (ns_error_number("ETIMEDOUT")).
 *
 * This loop was written on Linux and works there. Run
 *     netstep lab check 6 --program connect_loop.c
 * to see where it goes wrong, then fix it for all five personalities.
 */
#include <stdio.h>

#include "netstep_lab.h"

int lab_main(const char *argument) {
  char address[64];
  long deadline_ms = 30000;
  if (sscanf(argument, "%63s %ld", address, &deadline_ms) < 1) return ns_error_number("EINVAL");

  int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return ns_errno();
  ns_set_nonblocking(fd, 1);

  if (ns_connect(fd, address) == 0) return 0;
  if (ns_errno() != ns_error_number("EINPROGRESS")) return ns_errno(); /* TODO: is this how every system says it? */

  struct ns_pollfd p;
  p.fd = fd;
  p.events = NS_POLLOUT;
  p.revents = 0;
  if (ns_poll(&p, 1, (int)deadline_ms) == 0) {
    ns_close(fd);
    return ns_error_number("ETIMEDOUT");
  }
  int pending = 0;
  ns_getsockopt(fd, NS_SO_ERROR, &pending);
  ns_close(fd);
  return pending;
}
