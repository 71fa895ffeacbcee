/*
 * Lab 9, reference solution: the client side of the real-wire run. Connect
 * to the address given, send a one-line request, and read the answer until
 * the server closes.
 *
 * lab_main returns 0 when the whole answer was read, else the error that
 * stopped it (positive, in the personality's numbers). It reports
 * "outcome" (served, refused, timed-out, other) and, when served, "bytes".
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

static int error_of(long result) { return is_freertos() ? (int)-result : ns_errno(); }

static int is(int error, const char *name) { return error == ns_error_number(name); }

static int fail(int fd, int error) {
  if (is(error, "ECONNREFUSED"))
    ns_report("outcome", "refused");
  else if (is(error, "ETIMEDOUT") || (is_freertos() && is(error, "ENOTCONN")))
    ns_report("outcome", "timed-out");
  else
    ns_report("outcome", "other");
  ns_close(fd);
  return error;
}

int lab_main(const char *address) {
  static const char request[] = "GET / HTTP/1.0\r\n\r\n";
  char buffer[4096];
  long total = 0;

  int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return error_of(fd);
  /* FreeRTOS+TCP: a refused connect() waits for the block time (for ever
   * by default), and so would a recv() with nothing to read. */
  if (is_freertos()) ns_setsockopt(fd, NS_FREERTOS_SO_RCVTIMEO, 5000);

  long r = ns_connect(fd, address);
  if (r != 0) return fail(fd, error_of(r));
  r = ns_send(fd, request, sizeof request - 1, 0);
  if (r < 0) return fail(fd, error_of(r));

  for (;;) {
    long n = ns_recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      total += n;
      continue;
    }
    if (n == 0) break; /* end of stream: the server's FIN */
    int error = error_of(n);
    /* FreeRTOS_recv() says -ENOTCONN, not 0, once the peer has closed and
     * everything was read (FreeRTOS+TCP source, eCLOSE_WAIT with nothing
     * buffered; see labs/scenarios/close-time-wait.yaml). */
    if (is_freertos() && is(error, "ENOTCONN")) break;
    return fail(fd, error);
  }
  char text[32];
  snprintf(text, sizeof text, "%ld", total);
  ns_report("bytes", text);
  ns_report("outcome", "served");
  ns_close(fd);
  return 0;
}
