#include "lab_catalogue.hpp"

#include <algorithm>

#include "lab_report.hpp"

namespace netstep::lab {

std::vector<LabEntry> list_labs(const std::filesystem::path& root) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    throw LabInputError{root.string() + ": no such folder, expected the labs folder (--labs DIR or $NETSTEP_LABS)"};
  }
  std::vector<LabEntry> labs;
  for (const auto& entry : std::filesystem::directory_iterator{root}) {
    const std::string name = entry.path().filename().string();
    // NN-slug: two digits and a dash.
    if (name.size() < 4 || name[2] != '-' || !std::isdigit(static_cast<unsigned char>(name[0])) ||
        !std::isdigit(static_cast<unsigned char>(name[1]))) {
      continue;
    }
    const auto yaml = entry.path() / "lab.yaml";
    if (!std::filesystem::is_regular_file(yaml, ec)) continue;
    LabEntry lab;
    lab.number = (name[0] - '0') * 10 + (name[1] - '0');
    lab.dir = entry.path();
    lab.lab_yaml = yaml;
    labs.push_back(lab);
  }
  std::sort(labs.begin(), labs.end(), [](const LabEntry& a, const LabEntry& b) { return a.number < b.number; });
  return labs;
}

LabEntry find_lab(const std::filesystem::path& root, int number) {
  const auto labs = list_labs(root);
  for (const auto& lab : labs) {
    if (lab.number == number) return lab;
  }
  std::string there;
  for (const auto& lab : labs) there += (there.empty() ? "" : ", ") + std::to_string(lab.number);
  throw LabInputError{"no lab " + std::to_string(number) + " in " + root.string() +
                      (there.empty() ? std::string{" (it has no labs)"} : " (there are labs " + there + ")")};
}

}  // namespace netstep::lab
