/*
 * Lab 2, reference solution: a client that connects, sends a request,
 * reads the server's whole answer and closes the conversation properly.
 *
 * The argument is the server's address:port. The server answers any
 * request with 200 bytes, then waits for the client to finish. The program
 * reports
 *   answer-bytes   how many bytes of answer it read
 * and returns 0, or the error (positive, in the personality's numbers) of
 * the call that failed.
 */
#include <stdio.h>
#include <string.h>

#include "netstep_lab.h"

enum { ANSWER_BYTES = 200 };

static int is_freertos(void) { return strcmp(ns_personality(), "freertos") == 0; }

/* The error of a failed call, positive: FreeRTOS+TCP returns it negated,
 * the others return -1 and leave it in errno (WSAGetLastError()). */
static int failure(long result) { return is_freertos() ? (int)-result : ns_errno(); }

int lab_main(const char *argument) {
  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return failure(fd);

  /* SYN, SYN,ACK, ACK: connect() returns once the SYN,ACK has arrived and
   * the client's ACK is on its way (RFC 9293 3.5). */
  const int connected = ns_connect(fd, argument);
  if (connected != 0) return failure(connected);

  static const char request[] = "GET /time\r\n";
  const long sent = ns_send(fd, request, sizeof request - 1, 0);
  if (sent < 0) return failure(sent);

  /* TCP is a byte stream: one recv() returns what has arrived so far, which
   * may be less than the whole answer. Read until all 200 bytes are in. */
  char answer[ANSWER_BYTES];
  long received = 0;
  while (received < ANSWER_BYTES) {
    const long n = ns_recv(fd, answer + received, (unsigned long)(ANSWER_BYTES - received), 0);
    if (n < 0) return failure(n);
    if (n == 0) break; /* the server closed early */
    received += n;
  }
  char text[32];
  snprintf(text, sizeof text, "%ld", received);
  ns_report("answer-bytes", text);

  /* Closing properly: shutdown(SHUT_WR) sends our FIN (nothing more from
   * us), then we read until the server's FIN (recv() returns 0), so both
   * directions are finished before we let go of the socket. The side that
   * closes first ends in TIME-WAIT (RFC 9293 3.6). */
  if (ns_shutdown(fd, NS_SHUT_WR) != 0) return failure(-1);
  if (is_freertos()) {
    /* FreeRTOS_shutdown() always shuts both directions, so recv() cannot
     * wait for the server's FIN. Its reference instead polls recv() until
     * it fails (the connection is gone), with a bound on the wait. */
    for (int waited_ms = 0; waited_ms < 1000; waited_ms += 10) {
      char rest[256];
      if (ns_recv(fd, rest, sizeof rest, 0) < 0) break;
      ns_sleep_ms(10);
    }
  } else {
    char rest[256];
    for (;;) {
      const long n = ns_recv(fd, rest, sizeof rest, 0);
      if (n == 0) break;
      if (n < 0) return failure(n);
    }
  }
  const int closed = ns_close(fd);
  if (closed != 0) return failure(closed);
  return 0;
}
