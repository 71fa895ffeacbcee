#pragma once
// An output file that appears whole or not at all: written under a
// temporary name beside the target and renamed into place by commit(). A run
// that fails (or is interrupted) leaves no half-written trace behind.
#include <filesystem>
#include <fstream>
#include <string>

namespace netstep::cli {

class AtomicFile {
 public:
  // Stream: the caller writes through stream(). Path: a library that opens
  // files by name (libpcap) writes to temporary_path() and closes it before
  // commit(); the temporary file is created empty here all the same, so an
  // unwritable place is known before anything runs.
  enum class Access { Stream, Path };

  // Throws std::runtime_error with the path and the system's reason if the
  // temporary file cannot be created.
  explicit AtomicFile(std::filesystem::path target, Access access = Access::Stream);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  [[nodiscard]] const std::filesystem::path& temporary_path() const { return temporary_; }
  [[nodiscard]] const std::filesystem::path& target() const { return target_; }
  // Flushes and renames into place; throws std::runtime_error on failure.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace netstep::cli
