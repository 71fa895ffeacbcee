// The host kernel's side of the real-wire interop tests: a tiny TCP echo
// server and a client that checks its bytes come back, both on the kernel's
// own sockets (run inside a test namespace with `ip netns exec`).
//
//   kernel-peer serve PORT COUNT READY_FILE   echo COUNT connections, then exit
//   kernel-peer client ADDRESS PORT BYTES     send BYTES, half-close, check the echo
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

int usage() {
  std::fprintf(stderr, "usage: kernel-peer serve PORT COUNT READY_FILE | client ADDRESS PORT BYTES\n");
  return 2;
}

void set_timeouts(int fd, int seconds) {
  timeval tv{};
  tv.tv_sec = seconds;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

int serve(int port, int count, const char* ready_file) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 8) != 0) {
    std::perror("kernel-peer: bind/listen");
    return 2;
  }
  std::ofstream{ready_file} << "ready\n";
  for (int i = 0; i < count; ++i) {
    const int c = accept(fd, nullptr, nullptr);
    if (c < 0) return 1;
    set_timeouts(c, 20);
    char buffer[65536];
    std::size_t total = 0;
    while (true) {
      const ssize_t n = read(c, buffer, sizeof buffer);
      if (n <= 0) break;
      if (write(c, buffer, static_cast<std::size_t>(n)) != n) break;
      total += static_cast<std::size_t>(n);
    }
    std::printf("kernel-peer: echoed %zu bytes\n", total);
    std::fflush(stdout);
    close(c);
  }
  close(fd);
  return 0;
}

int client(const char* host, int port, std::size_t bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  set_timeouts(fd, 10);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host, &address.sin_addr) != 1) return usage();
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::printf("kernel-peer: connect failed: %s\n", std::strerror(errno));
    return 1;
  }
  std::vector<unsigned char> data(bytes);
  for (std::size_t i = 0; i < bytes; ++i) data[i] = static_cast<unsigned char>((i * 7 + 3) & 0xff);
  std::size_t sent = 0;
  while (sent < bytes) {
    const ssize_t n = write(fd, data.data() + sent, bytes - sent);
    if (n <= 0) return 1;
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::vector<unsigned char> back;
  unsigned char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    back.insert(back.end(), buffer, buffer + n);
  }
  close(fd);
  const bool intact = back == data;
  std::printf("kernel-peer: sent %zu, got back %zu, %s\n", bytes, back.size(), intact ? "intact" : "DIFFERENT");
  return intact ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string{argv[1]} == "serve") return serve(std::atoi(argv[2]), std::atoi(argv[3]), argv[4]);
  if (argc == 5 && std::string{argv[1]} == "client") {
    return client(argv[2], std::atoi(argv[3]), static_cast<std::size_t>(std::atol(argv[4])));
  }
  return usage();
}
