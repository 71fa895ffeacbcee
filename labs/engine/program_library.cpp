#include "program_library.hpp"

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace netstep::lab {

namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string compiler_for(const fs::path& program) {
  const std::string ext = program.extension().string();
  const bool cpp = ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".C";
  const char* env = std::getenv(cpp ? "CXX" : "CC");
  if (env != nullptr && *env != '\0') return env;
  return cpp ? "c++" : "cc";
}

}  // namespace

fs::path lab_include_dir() {
  if (const char* env = std::getenv("NETSTEP_LAB_INCLUDE"); env != nullptr && *env != '\0') return env;
  return NETSTEP_LAB_INCLUDE_DIR;
}

ProgramBuild build_program(const fs::path& program, const fs::path& out_dir) {
  ProgramBuild build;
  if (program.extension() == ".so") {
    build.ok = true;
    build.shared_object = fs::absolute(program);
    return build;
  }
  fs::create_directories(out_dir);
  build.shared_object = out_dir / (program.stem().string() + ".so");
  // $CC may be "ccache gcc": left unquoted so the shell splits it.
  build.command = compiler_for(program) + " -shared -fPIC -O1 -g -fexceptions -I" +
                  shell_quote(lab_include_dir().string()) + " -o " + shell_quote(build.shared_object.string()) + " " +
                  shell_quote(fs::absolute(program).string()) + " 2>&1";
  FILE* pipe = ::popen(build.command.c_str(), "r");
  if (pipe == nullptr) {
    build.output = "could not run the compiler: " + build.command;
    return build;
  }
  std::array<char, 4096> chunk{};
  while (std::fgets(chunk.data(), static_cast<int>(chunk.size()), pipe) != nullptr) build.output += chunk.data();
  const int status = ::pclose(pipe);
  build.ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return build;
}

std::shared_ptr<ProgramLibrary> ProgramLibrary::load(const fs::path& shared_object) {
  // A private copy: dlopen() of a path already loaded returns the same
  // image, globals and all.
  std::string pattern = (fs::temp_directory_path() / "netstep-program-XXXXXX.so").string();
  const int fd = ::mkstemps(pattern.data(), 3);
  if (fd < 0) throw std::runtime_error{"cannot make a temporary copy of " + shared_object.string()};
  ::close(fd);
  std::error_code ec;
  fs::copy_file(shared_object, pattern, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    fs::remove(pattern, ec);
    throw std::runtime_error{"cannot read " + shared_object.string() + ": " + ec.message()};
  }
  std::shared_ptr<ProgramLibrary> library{new ProgramLibrary};
  library->handle_ = ::dlopen(pattern.c_str(), RTLD_NOW | RTLD_LOCAL);
  fs::remove(pattern, ec);  // mapped now: the file is not needed
  if (library->handle_ == nullptr) {
    const char* why = ::dlerror();
    throw std::runtime_error{"cannot load " + shared_object.string() + ": " + (why != nullptr ? why : "?")};
  }
  library->lab_main_ = reinterpret_cast<LabMain>(::dlsym(library->handle_, "lab_main"));
  if (library->lab_main_ == nullptr) {
    throw std::runtime_error{shared_object.filename().string() + " has no function lab_main(const char *)"};
  }
  return library;
}

ProgramLibrary::~ProgramLibrary() {
  if (handle_ != nullptr) ::dlclose(handle_);
}

}  // namespace netstep::lab
