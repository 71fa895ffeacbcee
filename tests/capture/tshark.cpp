#include "tshark.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <sys/wait.h>
#include <unistd.h>

#include "capture_files.hpp"

namespace netstep::test {

namespace {

// One word for sh, whatever it holds.
std::string quoted(const std::string& word) {
  std::string out = "'";
  for (const char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view dirs{path};
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string dir{dirs.substr(0, colon)};
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    const std::string candidate = (dir.empty() ? std::string{"."} : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate)) return true;
  }
  return false;
}

TsharkResult tshark(const std::string& file, const std::vector<std::string>& arguments) {
  const std::string errors = file + ".tshark-stderr";
  std::string command = "tshark -n -r " + quoted(file) +
                        " -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE";
  for (const std::string& argument : arguments) command += " " + quoted(argument);
  command += " 2>" + quoted(errors);

  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = ::pclose(pipe);

  TsharkResult result;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.lines = lines_of(output);
  if (std::filesystem::exists(errors)) result.errors = read_file(errors);
  return result;
}

}  // namespace netstep::test
