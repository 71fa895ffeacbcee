#include "answers.hpp"

#include "lab_report.hpp"
#include "yaml_reader.hpp"

namespace netstep::lab {

Answers load_answers(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw LabInputError{file.string() + ": no such answers file (copy the lab's starter/answers.yaml and fill it in)"};
  }
  const YamlReader r{file.string()};
  const YAML::Node root = r.load();
  if (!root.IsMap()) r.expected(root, "an answers file {lab, student, answers}");
  r.only_keys(root, {"lab", "student", "answers"});
  Answers a;
  a.file = file;
  if (const auto n = root["lab"]) a.lab = r.integer(n, "the lab's number");
  if (const auto n = root["student"]; n && !n.IsNull()) a.student = r.text(n, "the student's name");
  const YAML::Node answers = r.required(root, "answers", "the answers, one per question id");
  if (answers.IsNull()) return a;
  r.require_map(answers, "a mapping from question ids to answers");
  for (const auto& entry : answers) {
    WrittenAnswer w;
    w.place = r.place(entry.first);
    if (entry.second.IsNull()) {
      w.text.clear();
    } else if (entry.second.IsSequence()) {
      // A flags answer written as a list: [SYN, ACK].
      for (const auto& item : entry.second) w.text += (w.text.empty() ? "" : ",") + r.text(item, "a value");
    } else {
      w.text = trimmed(r.text(entry.second, "an answer (a number, a name, a duration with its unit ...)"));
    }
    a.answers[entry.first.as<std::string>()] = w;
  }
  return a;
}

void check_answers_match(const Answers& answers, const Lab& lab) {
  if (answers.lab && *answers.lab != lab.number) {
    throw LabInputError{answers.file.string() + ": an answers file for lab " + std::to_string(*answers.lab) +
                        ", expected one for lab " + std::to_string(lab.number)};
  }
  for (const auto& [id, written] : answers.answers) {
    if (lab.find_question(id) == nullptr) {
      std::string ids;
      for (const auto& q : lab.questions) ids += (ids.empty() ? "" : ", ") + q.id;
      throw LabInputError{written.place.where() + ": found question id '" + id + "', expected one of lab " +
                          std::to_string(lab.number) + "'s: " + ids};
    }
  }
}

}  // namespace netstep::lab
