/* A program that computes for ever and never calls netstep again. */
#include "netstep_lab.h"
int lab_main(const char *argument) {
  (void)argument;
  ns_socket(NS_SOCK_STREAM);
  volatile unsigned long spin = 0;
  for (;;) ++spin;
  return 0;
}
