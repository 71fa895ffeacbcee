/* A program that does not compile. */
#include "netstep_lab.h"
int lab_main(const char *argument) {
  return ns_connect(argument) /* a missing argument, and a missing semicolon */
}
