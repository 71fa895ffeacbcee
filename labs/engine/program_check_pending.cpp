// TEMPORARY stand-in for the program runner (program_check.hpp), which
// another branch implements: delete this file (and its line in
// CMakeLists.txt) when that branch's program_check.cpp is merged.
#include "program_check.hpp"

namespace netstep::lab {

bool has_program_task(const std::filesystem::path& /*lab_dir*/) { return false; }

std::string program_file_name(const std::filesystem::path& lab_dir) {
  throw LabInputError{lab_dir.string() + ": program checks are not built yet"};
}

std::vector<CheckResult> check_program(const std::filesystem::path& /*lab_dir*/, const std::filesystem::path& /*program*/,
                                       const ProgramCheckOptions& /*options*/) {
  throw LabInputError{"program checks are not built yet"};
}

debug::WorldFactory program_world_factory(const std::filesystem::path& /*lab_dir*/, const std::string& /*run_name*/,
                                          const std::filesystem::path& /*program*/,
                                          socket::PersonalityId /*personality*/) {
  throw LabInputError{"program checks are not built yet"};
}

}  // namespace netstep::lab
