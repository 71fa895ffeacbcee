/*
 * Lab 7, reference solution: send one UDP request to the address given and
 * wait (up to 2 s) for the answer from that address, ignoring datagrams
 * from anybody else.
 *
 * lab_main returns 0 when the peer answered, the error the socket reported
 * when the peer's port is closed (positive, in the personality's numbers),
 * or the personality's ETIMEDOUT when no answer came. It reports "outcome"
 * (answered, refused, no-answer, other) and, when answered, "bytes".
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

/* FreeRTOS+TCP returns the negated error; the others -1 and errno. */
static int error_of(long result) { return is_freertos() ? (int)-result : ns_errno(); }

static int is(int error, const char *name) { return error == ns_error_number(name); }

static int finish(const char *outcome, int value) {
  ns_report("outcome", outcome);
  return value;
}

int lab_main(const char *peer) {
  char request[] = "ping";
  char reply[1500];
  char from[64];
  int fd = ns_socket(NS_SOCK_DGRAM);
  if (fd < 0) return finish("other", error_of(fd));
  /* Never wait for ever: a datagram can be lost, and nothing retransmits it. */
  if (is_freertos())
    ns_setsockopt(fd, NS_FREERTOS_SO_RCVTIMEO, 2000);
  else
    ns_setsockopt(fd, NS_SO_RCVTIMEO, 2000);

  /* connect() makes the stack drop datagrams from anybody but the peer, and
   * lets it tell us when the peer's port is closed (ICMP port unreachable).
   * FreeRTOS+TCP has no UDP connect (EBADF): there we name the peer in every
   * sendto() and filter by hand below. */
  int connected = ns_connect(fd, peer) == 0;
  long sent = connected ? ns_send(fd, request, sizeof request - 1, 0)
                        : ns_sendto(fd, request, sizeof request - 1, 0, peer);
  if (sent < 0) {
    int error = error_of(sent);
    ns_close(fd);
    return finish("other", error);
  }

  for (int datagrams = 0; datagrams < 8; ++datagrams) {
    from[0] = '\0';
    long n = ns_recvfrom(fd, reply, sizeof reply, 0, from, sizeof from);
    if (n == 0 && is_freertos()) break; /* FreeRTOS_recvfrom(): the block time ran out */
    if (n < 0) {
      int error = error_of(n);
      ns_close(fd);
      /* The peer's ICMP port unreachable, on the next call after send():
       * ECONNREFUSED, or WSAECONNRESET on Windows. */
      if (is(error, "ECONNREFUSED") || is(error, "ECONNRESET")) return finish("refused", error);
      /* The receive timeout: EAGAIN (= EWOULDBLOCK), Windows' WSAETIMEDOUT. */
      if (is(error, "EAGAIN") || is(error, "EWOULDBLOCK") || is(error, "ETIMEDOUT")) break;
      return finish("other", error);
    }
    if (strcmp(from, peer) != 0) {
      ns_log("ignored a datagram from a stranger");
      continue;
    }
    char bytes[32];
    snprintf(bytes, sizeof bytes, "%ld", n);
    ns_report("bytes", bytes);
    ns_close(fd);
    return finish("answered", 0);
  }
  ns_close(fd);
  return finish("no-answer", ns_error_number("ETIMEDOUT"));
}
