#include "junit_report.hpp"

#include <ostream>

#include "socket/personality.hpp"

namespace netstep::cli {

namespace {

std::string escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
        break;
    }
  }
  return out;
}

std::string seconds(Duration d) { return std::to_string(std::chrono::duration<double>(d).count()); }

}  // namespace

void write_junit(std::ostream& out, const scenario::Scenario& scenario, const std::vector<scenario::RunReport>& runs) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" << escaped(scenario.name) << "\">\n";
  for (const scenario::RunReport& run : runs) {
    const std::string personality{socket::Personality::get(run.personality).name()};
    std::size_t tests = 1;  // the scenario-wide checks
    std::size_t failures = run.problems.empty() ? 0 : 1;
    for (const scenario::StepRecord& s : run.steps) {
      if (s.skipped || s.step->expect.for_personality(run.personality) == nullptr) continue;
      ++tests;
      if (!s.failures.empty() || !s.returned) ++failures;
    }
    out << "  <testsuite name=\"" << escaped(scenario.name + " [" + personality + "]") << "\" tests=\"" << tests
        << "\" failures=\"" << failures << "\" errors=\"0\" time=\"" << seconds(run.ended.time_since_epoch())
        << "\">\n";
    const std::string classname = escaped(scenario.name + "." + personality);
    for (const scenario::StepRecord& s : run.steps) {
      if (s.skipped || s.step->expect.for_personality(run.personality) == nullptr) continue;
      out << "    <testcase classname=\"" << classname << "\" name=\""
          << escaped(s.host + ": " + s.step->describe() + " (" + s.step->mark.where() + ")") << "\" time=\""
          << seconds(s.returned_at - s.started_at) << "\">\n";
      if (!s.returned) {
        out << "      <failure message=\"never returned\">the call was still blocked when the run ended</failure>\n";
      }
      for (const std::string& f : s.failures) {
        out << "      <failure message=\"" << escaped(f) << "\">" << escaped(s.result + ": " + s.explanation)
            << "</failure>\n";
      }
      out << "      <system-out>" << escaped(s.result + " -- " + s.explanation) << "</system-out>\n    </testcase>\n";
    }
    out << "    <testcase classname=\"" << classname << "\" name=\"the run: limits, blocked calls, segments on the wire\">\n";
    for (const std::string& p : run.problems) out << "      <failure message=\"" << escaped(p) << "\"/>\n";
    out << "    </testcase>\n  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace netstep::cli
