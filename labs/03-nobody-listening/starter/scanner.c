/*
 * Lab 3: a small TCP port scanner that says, for each port, open (a
 * listener completed the handshake), closed (the host's TCP refused: a
 * reset) or filtered (nothing came back), and says it right under every
 * personality.
 *
 * The argument is "ADDRESS PORT PORT ...". For each port, report
 * (ns_report) the port number as the key and open, closed or filtered as
 * the value, and return 0.
 *
 * This version trusts connect()'s error. That is right on Linux, FreeBSD,
 * Winsock and TargetTCP. Run it under freertos (netstep lab check 3
 * --program scanner.c) and see what it calls the closed port. Why, and how
 * can a FreeRTOS+TCP program still tell a reset from silence? (Lab 3's
 * README, "FreeRTOS+TCP".)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstep_lab.h"

static const char *scan(const char *target) {
  const int fd = ns_socket(NS_SOCK_STREAM);
  if (fd < 0) return "error";
  /* FreeRTOS_connect() sleeps for the socket's block time, by default for
   * ever: give it 5 s (5000 ticks). */
  if (strcmp(ns_personality(), "freertos") == 0) ns_setsockopt(fd, NS_FREERTOS_SO_RCVTIMEO, 5000);
  const int result = ns_connect(fd, target);
  const int error = result == 0 ? 0 : ns_errno();
  ns_close(fd);
  if (result == 0) return "open";
  if (error == ns_error_number("ECONNREFUSED")) return "closed";
  return "filtered";
}

int lab_main(const char *argument) {
  char address[64];
  int consumed = 0;
  if (sscanf(argument, "%63s%n", address, &consumed) != 1) return 1;
  const char *rest = argument + consumed;
  char *end = NULL;
  for (long port = strtol(rest, &end, 10); end != rest; port = strtol(rest, &end, 10)) {
    rest = end;
    char target[96];
    char key[16];
    snprintf(target, sizeof target, "%s:%ld", address, port);
    snprintf(key, sizeof key, "%ld", port);
    ns_report(key, scan(target));
  }
  return 0;
}
