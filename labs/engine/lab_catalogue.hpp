#pragma once
// The labs under a root folder: every NN-slug/lab.yaml, in number order.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace netstep::lab {

struct LabEntry {
  int number = 0;                 // from the folder name's NN
  std::filesystem::path dir;
  std::filesystem::path lab_yaml;
};

// Throws LabInputError if `root` is not a folder.
[[nodiscard]] std::vector<LabEntry> list_labs(const std::filesystem::path& root);
// Throws LabInputError naming the labs there are when lab `number` is not one.
[[nodiscard]] LabEntry find_lab(const std::filesystem::path& root, int number);

}  // namespace netstep::lab
