/*
 * Lab 2: a client that connects, sends a request, reads the server's whole
 * answer and closes the conversation properly.
 *
 * The argument is the server's address:port. The server answers any
 * request with 200 bytes, then waits for the client to finish. Report
 * (ns_report)
 *   answer-bytes   how many bytes of answer you read
 * and return 0, or the error (positive, in the personality's numbers) of
 * the call that failed.
 *
 * This version connects and sends, but reads only once and never closes:
 * the server is left waiting, and the socket is still ESTABLISHED when
 * lab_main returns. Finish it: read the whole answer, then close so that
 * both sides know the conversation is over (which state should your socket
 * be in at the end? Lab 2's README, "The close").
 */
#include <stdio.h>

#include "netstep_lab.h"

enum { ANSWER_BYTES = 200 };

int lab_main(const char *argument) {
  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return ns_errno();

  if (ns_connect(fd, argument) != 0) return ns_errno();

  static const char request[] = "GET /time\r\n";
  if (ns_send(fd, request, sizeof request - 1, 0) < 0) return ns_errno();

  char answer[ANSWER_BYTES];
  const long n = ns_recv(fd, answer, sizeof answer, 0);
  char text[32];
  snprintf(text, sizeof text, "%ld", n);
  ns_report("answer-bytes", text);

  /* TODO: close the conversation properly. */
  return 0;
}
