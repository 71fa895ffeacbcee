#include "atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace netstep::cli {

AtomicFile::AtomicFile(std::filesystem::path target, Access access)
    : target_{std::move(target)},
      temporary_{target_.string() + ".tmp-" + std::to_string(::getpid())} {
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    throw std::runtime_error("cannot write " + target_.string() + ": " + std::strerror(errno));
  }
  if (access == Access::Path) out_.close();  // a closed stream flushes nothing at commit()
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    if (out_.is_open()) out_.close();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void AtomicFile::commit() {
  bool written = true;
  if (out_.is_open()) {
    out_.flush();
    written = static_cast<bool>(out_);
    out_.close();
    written = written && !out_.fail();  // close() flushes what was left
  }
  std::error_code error;
  if (written) std::filesystem::rename(temporary_, target_, error);
  if (!written || error) {
    std::filesystem::remove(temporary_, error);
    throw std::runtime_error("cannot write " + target_.string());
  }
  committed_ = true;
}

}  // namespace netstep::cli
