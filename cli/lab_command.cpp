#include "lab_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "atomic_file.hpp"
#include "checker.hpp"
#include "lab.hpp"
#include "lab_catalogue.hpp"
#include "lab_open.hpp"
#include "ping_command.hpp"  // the exit codes
#include "program_check.hpp"
#include "report_writers.hpp"

namespace netstep::cli {

namespace {

bool known_format(const std::string& f) { return f == "text" || f == "json" || f == "junit" || f == "gradescope"; }

// Writes `text` to `out_file` (whole or not at all), or to `out` when none.
void emit(const std::string& text, const std::string& out_file, std::ostream& out) {
  if (out_file.empty()) {
    out << text;
    return;
  }
  AtomicFile file{out_file};
  file.stream() << text;
  file.commit();
}

}  // namespace

std::filesystem::path labs_root(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("NETSTEP_LABS"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const std::filesystem::path source{NETSTEP_SOURCE_DIR "/labs"};
  if (std::filesystem::is_directory(source, ec)) return source;
  return "labs";
}

void add_lab_command(CLI::App& app, LabOptions& options, int& exit_code) {
  CLI::App* lab = app.add_subcommand("lab", "Classroom labs: list, show N, open N, check N, grade DIR. docs/labs.md");
  lab->add_option("--labs", options.labs, "The labs folder (default: $NETSTEP_LABS, the source tree's labs/, ./labs)");
  lab->require_subcommand(1);

  CLI::App* list = lab->add_subcommand("list", "Every lab: number, title, what it has");
  list->callback([&options, &exit_code] { exit_code = lab_list(options, std::cout, std::cerr); });

  CLI::App* show = lab->add_subcommand("show", "A lab's instructions (its README.md)");
  show->add_option("N", options.number, "The lab's number")->required();
  show->callback([&options, &exit_code] { exit_code = lab_show(options, std::cout, std::cerr); });

  CLI::App* open = lab->add_subcommand(
      "open", "The debugger at the lab's first step: netstep-gui with a display, else the terminal debugger");
  open->add_option("N", options.number, "The lab's number")->required();
  open->add_option("--scenario", options.scenario, "One of the lab's scenario files (default: its first)");
  open->add_option("--run", options.run, "A program run of the lab (with --program)");
  open->add_option("--program", options.program, "The student's program playing the run's host");
  open->add_option("-p,--personality", options.personality, "linux, freebsd, winsock, freertos or targettcp");
  open->add_option("--at", options.at, "Start at trace event #N");
  open->add_flag("--text", options.text, "The terminal debugger even with a display");
  open->callback([&options, &exit_code] { exit_code = lab_open(options, std::cin, std::cout, std::cerr); });

  CLI::App* check = lab->add_subcommand("check", "Check your answers (and/or program): exit 0 all right, 1 not");
  check->add_option("N", options.number, "The lab's number")->required();
  check->add_option("--answers", options.answers, "Your answers file (default: ./answers.yaml)");
  check->add_option("--program", options.program, "Your program (the lab's program task)");
  check->add_option("--format", options.format, "text, json, junit or gradescope");
  check->add_option("--out", options.out, "Write the report to this file");
  check->callback([&options, &exit_code] { exit_code = lab_check(options, std::cout, std::cerr); });

  CLI::App* grade = lab->add_subcommand("grade", "Grade a class: DIR holds one folder per submission");
  grade->add_option("DIR", options.grade_dir, "The submissions' folder")->required();
  grade->add_option("--lab", options.grade_lab, "The lab (default: each answers.yaml's lab:)");
  grade->add_option("--format", options.format, "text, json, junit or gradescope");
  grade->add_option("--out", options.out, "The report file (gradescope: the folder for <submission>/results.json)");
  grade->callback([&options, &exit_code] { exit_code = lab_grade(options, std::cout, std::cerr); });
}

int lab_list(const LabOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const auto root = labs_root(options.labs);
    const auto labs = lab::list_labs(root);
    if (labs.empty()) out << "no labs in " << root.string() << "\n";
    for (const auto& entry : labs) {
      try {
        const lab::Lab l = lab::load_lab(entry.lab_yaml);
        out << (l.number < 10 ? " " : "") << l.number << "  " << l.title << "  (" << l.questions.size()
            << (l.questions.size() == 1 ? " question" : " questions")
            << (lab::has_program_task(entry.dir) ? ", a program" : "") << ")\n";
      } catch (const lab::LabInputError& e) {
        out << (entry.number < 10 ? " " : "") << entry.number << "  (lab.yaml broken: " << e.what() << ")\n";
      }
    }
  } catch (const lab::LabInputError& e) {
    err << "netstep lab list: " << e.what() << "\n";
    return exit_bad_input;
  }
  return exit_ok;
}

int lab_show(const LabOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const auto entry = lab::find_lab(labs_root(options.labs), options.number);
    std::ifstream readme{entry.dir / "README.md"};
    if (!readme) {
      err << "netstep lab show: " << (entry.dir / "README.md").string() << ": cannot read it\n";
      return exit_bad_input;
    }
    out << readme.rdbuf();
  } catch (const lab::LabInputError& e) {
    err << "netstep lab show: " << e.what() << "\n";
    return exit_bad_input;
  }
  return exit_ok;
}

int lab_open(const LabOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    return open_lab(options, in, out, err);
  } catch (const lab::LabInputError& e) {
    err << "netstep lab open: " << e.what() << "\n";
    return exit_bad_input;
  }
}

int lab_check(const LabOptions& options, std::ostream& out, std::ostream& err) {
  if (!known_format(options.format)) {
    err << "netstep lab check: --format " << options.format << ": expected text, json, junit or gradescope\n";
    return exit_bad_input;
  }
  try {
    const lab::Lab l = lab::load_lab(lab::find_lab(labs_root(options.labs), options.number).lab_yaml);
    lab::SubmissionOptions submission;
    if (!options.answers.empty()) submission.answers = options.answers;
    if (!options.program.empty()) submission.program = options.program;
    if (!submission.answers && !submission.program) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file("answers.yaml", ec)) {
        err << "netstep lab check: no answers file: give --answers FILE (the lab's starter/answers.yaml, filled in) "
               "or --program PATH\n";
        return exit_bad_input;
      }
      submission.answers = "answers.yaml";
    }
    const lab::LabReport report = lab::check_submission(l, submission);
    std::string text;
    if (options.format == "json") text = lab::to_json(report);
    else if (options.format == "junit") text = lab::to_junit({report});
    else if (options.format == "gradescope") text = lab::to_gradescope(report);
    if (options.format == "text") {
      std::ostringstream o;
      lab::write_text(o, report);
      text = o.str();
    }
    emit(text, options.out, out);
    if (!options.out.empty() && options.format != "text") out << lab::summary_line(report) << "\n";
    return report.passed() ? exit_ok : exit_expectation_failed;
  } catch (const lab::LabInputError& e) {
    err << "netstep lab check: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const std::runtime_error& e) {  // an output that cannot be written
    err << "netstep lab check: " << e.what() << "\n";
    return exit_bad_input;
  }
}

int lab_grade(const LabOptions& options, std::ostream& out, std::ostream& err) {
  if (!known_format(options.format)) {
    err << "netstep lab grade: --format " << options.format << ": expected text, json, junit or gradescope\n";
    return exit_bad_input;
  }
  if (options.format == "gradescope" && options.out.empty()) {
    err << "netstep lab grade: --format gradescope needs --out DIR (each submission's results.json goes in DIR/NAME/)\n";
    return exit_bad_input;
  }
  const std::filesystem::path dir{options.grade_dir};
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    err << "netstep lab grade: " << dir.string() << ": no such folder, expected one folder per submission\n";
    return exit_bad_input;
  }
  try {
    const auto root = labs_root(options.labs);
    if (options.grade_lab) (void)lab::find_lab(root, *options.grade_lab);
    std::vector<std::filesystem::path> folders;
    for (const auto& entry : std::filesystem::directory_iterator{dir}) {
      if (entry.is_directory()) folders.push_back(entry.path());
    }
    std::sort(folders.begin(), folders.end());
    if (folders.empty()) {
      err << "netstep lab grade: " << dir.string() << ": no submission folders in it\n";
      return exit_bad_input;
    }
    std::vector<lab::LabReport> reports;
    for (const auto& folder : folders) reports.push_back(lab::grade_submission(root, folder, options.grade_lab));
    if (options.format == "gradescope") {
      for (const auto& r : reports) {
        const auto folder = std::filesystem::path{options.out} / r.submission;
        std::filesystem::create_directories(folder, ec);
        if (ec) throw std::runtime_error{"cannot create " + folder.string() + ": " + ec.message()};
        emit(lab::to_gradescope(r), (folder / "results.json").string(), out);
      }
      for (const auto& r : reports) out << lab::summary_line(r) << "\n";
      out << "wrote " << reports.size() << " results.json files under " << options.out << "\n";
      return exit_ok;
    }
    std::string text;
    if (options.format == "json") text = lab::to_json(reports);
    else if (options.format == "junit") text = lab::to_junit(reports);
    else {
      std::ostringstream o;
      lab::write_text(o, reports);
      text = o.str();
    }
    emit(text, options.out, out);
    if (!options.out.empty() && options.format != "text") {
      for (const auto& r : reports) out << lab::summary_line(r) << "\n";
    }
    return exit_ok;
  } catch (const lab::LabInputError& e) {
    err << "netstep lab grade: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const std::runtime_error& e) {
    err << "netstep lab grade: " << e.what() << "\n";
    return exit_bad_input;
  }
}

}  // namespace netstep::cli
