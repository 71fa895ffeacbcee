#pragma once
// A student's program as code: compiled from its .c/.cpp file with the
// system's compiler into a shared object, and loaded (dlopen) for a run.
#include <filesystem>
#include <memory>
#include <string>

#include "program_handoff.hpp"

namespace netstep::lab {

struct ProgramBuild {
  bool ok = false;
  std::filesystem::path shared_object;
  std::string command;  // what was run
  std::string output;   // the compiler's messages
};

// `program` is a .c file ($CC or cc), a .cpp/.cc/.cxx file ($CXX or c++),
// compiled with -shared -fPIC -O1 -g -fexceptions against netstep_lab.h
// into `out_dir`; or a .so, used as it is.
[[nodiscard]] ProgramBuild build_program(const std::filesystem::path& program, const std::filesystem::path& out_dir);

// The folder that holds netstep_lab.h (the source tree's labs/include).
[[nodiscard]] std::filesystem::path lab_include_dir();

// A loaded program. Each load is a private copy of the shared object, so
// every run starts with the program's globals as the file has them, even
// when the debugger re-runs it in the same process.
class ProgramLibrary {
 public:
  // Throws std::runtime_error (dlerror()'s words) if it cannot be loaded
  // or has no lab_main.
  [[nodiscard]] static std::shared_ptr<ProgramLibrary> load(const std::filesystem::path& shared_object);
  ~ProgramLibrary();
  ProgramLibrary(const ProgramLibrary&) = delete;
  ProgramLibrary& operator=(const ProgramLibrary&) = delete;
  [[nodiscard]] LabMain lab_main() const { return lab_main_; }

 private:
  ProgramLibrary() = default;
  void* handle_ = nullptr;
  LabMain lab_main_ = nullptr;
};

}  // namespace netstep::lab
