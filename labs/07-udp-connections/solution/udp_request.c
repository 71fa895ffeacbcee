/*
 * Lab 7, reference solution: send one UDP request to a peer from a given
 * local port and wait (up to 2 s) for the answer from that peer, ignoring
 * datagrams from anybody else.
 *
 * The argument is "PEER LOCALPORT", e.g. "10.0.0.2:7000 5000". lab_main
 * returns 0 when the peer answered, the error the socket reported when the
 * peer's port is closed (positive, in the personality's numbers), or the
 * personality's ETIMEDOUT when no answer came. It reports "outcome"
 * (answered, refused, no-answer, other) and, when answered, "bytes".
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

enum { WAIT_MS = 2000 };

static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

/* FreeRTOS+TCP returns the negated error; the others -1 and errno. */
static int error_of(long result) { return is_freertos() ? (int)-result : ns_errno(); }

/* ns_error_number() is -1 for a name the system lacks: never a match. */
static int is(int error, const char *name) {
  int number = ns_error_number(name);
  return number >= 0 && error == number;
}

static int finish(int fd, const char *outcome, int value) {
  ns_report("outcome", outcome);
  ns_close(fd);
  return value;
}

int lab_main(const char *argument) {
  char peer[64];
  int local_port = 0;
  if (sscanf(argument, "%63s %d", peer, &local_port) != 2) return -1;

  char request[] = "ping";
  char reply[1500];
  char from[64];
  char local[32];
  snprintf(local, sizeof local, "0.0.0.0:%d", local_port);

  int fd = ns_socket(NS_SOCK_DGRAM);
  if (fd < 0) return error_of(fd);
  long r = ns_bind(fd, local);
  if (r != 0) return finish(fd, "other", error_of(r));
  /* FreeRTOS+TCP's receive block time is for ever by default: a recvfrom()
   * after a poll() that said "readable" does not wait, but be safe. */
  if (is_freertos()) ns_setsockopt(fd, NS_FREERTOS_SO_RCVTIMEO, WAIT_MS);

  /* connect() makes the stack drop datagrams from anybody but the peer, and
   * lets it tell us when the peer's port is closed (ICMP port unreachable).
   * FreeRTOS+TCP has no UDP connect (EBADF): there we name the peer in every
   * sendto() and filter by hand below. */
  int connected = ns_connect(fd, peer) == 0;
  r = connected ? ns_send(fd, request, sizeof request - 1, 0) : ns_sendto(fd, request, sizeof request - 1, 0, peer);
  if (r < 0) return finish(fd, "other", error_of(r));

  /* Never wait for ever: a datagram can be lost, and nothing retransmits
   * it. poll() with a timeout says "nothing came" as 0 on every system,
   * where a receive timeout is EAGAIN on one, WSAETIMEDOUT on another and
   * 0 on FreeRTOS+TCP. */
  long long deadline = ns_now_us() + WAIT_MS * 1000LL;
  for (;;) {
    long long left_us = deadline - ns_now_us();
    if (left_us <= 0) break;
    struct ns_pollfd p = {fd, NS_POLLIN, 0};
    int ready = ns_poll(&p, 1, (int)((left_us + 999) / 1000));
    if (ready == 0) break;
    if (ready < 0) return finish(fd, "other", error_of(ready));

    from[0] = '\0';
    long n = ns_recvfrom(fd, reply, sizeof reply, 0, from, sizeof from);
    if (n < 0) {
      int error = error_of(n);
      /* The peer's ICMP port unreachable, on the call after send():
       * ECONNREFUSED, or WSAECONNRESET on Windows. */
      if (is(error, "ECONNREFUSED") || is(error, "ECONNRESET")) return finish(fd, "refused", error);
      return finish(fd, "other", error);
    }
    if (strcmp(from, peer) != 0) {
      ns_log("ignored a datagram from a stranger");
      continue;
    }
    char bytes[32];
    snprintf(bytes, sizeof bytes, "%ld", n);
    ns_report("bytes", bytes);
    return finish(fd, "answered", 0);
  }
  /* Time is up. A pending error is handed out by the next receive, and not
   * every poll() reports it (netstep's Winsock does not): ask once without
   * waiting before concluding that nobody answered. */
  long n = ns_recvfrom(fd, reply, sizeof reply, NS_MSG_DONTWAIT, from, sizeof from);
  if (n < 0) {
    int error = error_of(n);
    if (is(error, "ECONNREFUSED") || is(error, "ECONNRESET")) return finish(fd, "refused", error);
  }
  return finish(fd, "no-answer", ns_error_number("ETIMEDOUT"));
}
