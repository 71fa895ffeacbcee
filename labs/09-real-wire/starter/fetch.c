/*
 * Lab 9, starter: the client side of the real-wire run. Connect to the
 * address given, send a one-line request, and read the answer until the
 * server closes.
 *
 * lab_main must return 0 when the whole answer was read, else the error
 * that stopped it (positive, in the personality's numbers). It reports
 * "outcome" (served, refused, timed-out, other) and, when served, "bytes"
 * (how many bytes the answer had).
 *
 * It works against Linux's kernel through TAP. Make it right under all
 * five personalities.
 */
#include <stdio.h>

#include "netstep_lab.h"

int lab_main(const char *address) {
  static const char request[] = "GET / HTTP/1.0\r\n\r\n";
  char buffer[4096];
  long total = 0;
  long n;

  int fd = ns_socket(NS_SOCK_STREAM);
  if (ns_connect(fd, address) < 0) {
    ns_report("outcome", ns_errno() == 111 ? "refused" : "other");
    return ns_errno();
  }
  ns_send(fd, request, sizeof request - 1, 0);
  while ((n = ns_recv(fd, buffer, sizeof buffer, 0)) > 0) total += n;
  if (n < 0) {
    ns_report("outcome", "other");
    return ns_errno();
  }
  char text[32];
  snprintf(text, sizeof text, "%ld", total);
  ns_report("bytes", text);
  ns_report("outcome", "served");
  ns_close(fd);
  return 0;
}
