#include "atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace netstep::cli {

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_{std::move(target)},
      temporary_{target_.string() + ".tmp-" + std::to_string(::getpid())} {
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    throw std::runtime_error("cannot write " + target_.string() + ": " + std::strerror(errno));
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
  }
}

void AtomicFile::commit() {
  out_.flush();
  const bool written = static_cast<bool>(out_);
  out_.close();
  std::error_code error;
  if (written) std::filesystem::rename(temporary_, target_, error);
  if (!written || error) {
    std::filesystem::remove(temporary_, error);
    throw std::runtime_error("cannot write " + target_.string());
  }
  committed_ = true;
}

}  // namespace netstep::cli
