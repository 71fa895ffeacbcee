/* What the Linux kernel answers to send(), recv() and shutdown() in the
 * situations docs/sockets.md describes. netstep's linux personality is
 * written from this program's output (TransferSemantics,
 * DatagramSemantics). Loopback only; run it in a private network
 * namespace:
 *
 *   gcc -o transfer transfer.c
 *   ip netns add probe && ip netns exec probe ip link set lo up
 *   ip netns exec probe ./transfer; ip netns del probe
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void show(const char *what, long r) { printf("%-48s -> %ld %s\n", what, r, r < 0 ? strerror(errno) : ""); }
static void show_poll(const char *what, int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT, 0};
  poll(&p, 1, 0);
  printf("%-48s -> 0x%x\n", what, p.revents);
}
static struct sockaddr_in at(int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
  return a;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  char buf[100];
  struct sockaddr_in srv = at(5555), closed = at(5556), udp_srv = at(5557);
  struct timeval tenth = {0, 200000};
  struct linger reset = {1, 0};
  int one = 1;

  puts("# TCP, never connected");
  int s = socket(AF_INET, SOCK_STREAM, 0);
  show("send", send(s, "x", 1, 0));
  show("recv (MSG_DONTWAIT)", recv(s, buf, sizeof buf, MSG_DONTWAIT));
  show("recv (blocking)", recv(s, buf, sizeof buf, 0));
  show_poll("poll", s);
  int t = socket(AF_INET, SOCK_STREAM, 0);
  show("shutdown(SHUT_WR)", shutdown(t, SHUT_WR));
  show("send after that failed shutdown", send(t, "x", 1, 0));

  puts("# TCP, listening");
  int l = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bind(l, (void *)&srv, sizeof srv);
  listen(l, 5);
  show("send", send(l, "x", 1, 0));
  show("recv", recv(l, buf, sizeof buf, MSG_DONTWAIT));

  puts("# TCP, connected");
  connect(s, (void *)&srv, sizeof srv);
  int c = accept(l, 0, 0);
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tenth, sizeof tenth);
  show("recv, SO_RCVTIMEO 200 ms, nothing sent", recv(s, buf, sizeof buf, 0));
  show("recv (MSG_DONTWAIT), nothing sent", recv(s, buf, sizeof buf, MSG_DONTWAIT));
  show("shutdown(SHUT_WR)", shutdown(s, SHUT_WR));
  show("send after SHUT_WR", send(s, "x", 1, 0));
  show("shutdown(SHUT_RD)", shutdown(s, SHUT_RD));
  show("recv after SHUT_RD", recv(s, buf, sizeof buf, MSG_DONTWAIT));
  show_poll("poll after SHUT_RD and SHUT_WR", s);
  show("shutdown(99)", shutdown(s, 99));
  close(c);
  usleep(10000);

  puts("# TCP, the peer closed (FIN)");
  int f = socket(AF_INET, SOCK_STREAM, 0);
  connect(f, (void *)&srv, sizeof srv);
  int fc = accept(l, 0, 0);
  close(fc);
  usleep(10000);
  show("recv", recv(f, buf, sizeof buf, MSG_DONTWAIT));

  puts("# TCP, the peer reset (RST)");
  int r = socket(AF_INET, SOCK_STREAM, 0);
  connect(r, (void *)&srv, sizeof srv);
  int rc = accept(l, 0, 0);
  setsockopt(rc, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close(rc);
  usleep(10000);
  show_poll("poll", r);
  show("recv", recv(r, buf, sizeof buf, MSG_DONTWAIT));
  show("recv again", recv(r, buf, sizeof buf, MSG_DONTWAIT));
  show("send", send(r, "x", 1, 0));
  int r2 = socket(AF_INET, SOCK_STREAM, 0);
  connect(r2, (void *)&srv, sizeof srv);
  int r2c = accept(l, 0, 0);
  setsockopt(r2c, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close(r2c);
  usleep(10000);
  show("send as the first call after the reset", send(r2, "x", 1, 0));
  show("send again", send(r2, "x", 1, 0));
  show("shutdown", shutdown(r2, SHUT_WR));

  puts("# UDP");
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  show_poll("poll, fresh socket", u);
  show("send, no peer", send(u, "x", 1, 0));
  show("recv (MSG_DONTWAIT), unbound", recv(u, buf, sizeof buf, MSG_DONTWAIT));
  show("sendto a closed port", sendto(u, "x", 1, 0, (void *)&closed, sizeof closed));
  usleep(10000);
  show("recv after its port unreachable (unconnected)", recv(u, buf, sizeof buf, MSG_DONTWAIT));
  connect(u, (void *)&closed, sizeof closed);
  show("send to the connected closed port", send(u, "x", 1, 0));
  usleep(10000);
  show_poll("poll after the port unreachable", u);
  show("send again", send(u, "x", 1, 0));
  show("recv", recv(u, buf, sizeof buf, MSG_DONTWAIT));
  show("send a third time", send(u, "x", 1, 0));
  usleep(10000);
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(u, SOL_SOCKET, SO_ERROR, &err, &len);
  printf("%-48s -> %d\n", "SO_ERROR", err);
  getsockopt(u, SOL_SOCKET, SO_ERROR, &err, &len);
  printf("%-48s -> %d\n", "SO_ERROR again", err);
  show("shutdown(SHUT_WR), connected", shutdown(u, SHUT_WR));
  show("send after SHUT_WR", send(u, "x", 1, 0));
  show("shutdown(SHUT_RD)", shutdown(u, SHUT_RD));
  show("recv (MSG_DONTWAIT) after SHUT_RD", recv(u, buf, sizeof buf, MSG_DONTWAIT));
  show_poll("poll after SHUT_RD and SHUT_WR", u);
  int v = socket(AF_INET, SOCK_DGRAM, 0);
  show("shutdown, unconnected", shutdown(v, SHUT_RDWR));
  show("sendto after that failed shutdown", sendto(v, "x", 1, 0, (void *)&closed, sizeof closed));
  show("recv (blocking) after it", recv(v, buf, sizeof buf, 0));
  int w = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in port0 = at(0);
  show("sendto port 0", sendto(w, "x", 1, 0, (void *)&port0, sizeof port0));
  static char big[65508];
  show("sendto 65508 bytes", sendto(w, big, sizeof big, 0, (void *)&udp_srv, sizeof udp_srv));
  setsockopt(w, SOL_SOCKET, SO_RCVTIMEO, &tenth, sizeof tenth);
  show("recv, SO_RCVTIMEO 200 ms", recv(w, buf, sizeof buf, 0));
  int x = socket(AF_INET, SOCK_DGRAM, 0);
  bind(x, (void *)&udp_srv, sizeof udp_srv);
  sendto(w, "hello world", 11, 0, (void *)&udp_srv, sizeof udp_srv);
  sendto(w, "", 0, 0, (void *)&udp_srv, sizeof udp_srv);
  usleep(10000);
  show("recv into 4 bytes (an 11-byte datagram)", recv(x, buf, 4, 0));
  show("recv: the empty datagram", recv(x, buf, sizeof buf, MSG_DONTWAIT));
  show("recv: nothing left", recv(x, buf, sizeof buf, MSG_DONTWAIT));
  return 0;
}
