#include "junit_report.hpp"

#include <ostream>

#include "report_writers.hpp"  // lab::xml_escaped
#include "socket/personality.hpp"

namespace netstep::cli {

namespace {

std::string seconds(Duration d) { return std::to_string(std::chrono::duration<double>(d).count()); }

}  // namespace

void write_junit(std::ostream& out, const scenario::Scenario& scenario, const std::vector<scenario::RunReport>& runs) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" << lab::xml_escaped(scenario.name) << "\">\n";
  for (const scenario::RunReport& run : runs) {
    const std::string personality{socket::Personality::get(run.personality).name()};
    std::size_t tests = 1;  // the scenario-wide checks
    std::size_t failures = run.problems.empty() ? 0 : 1;
    for (const scenario::StepRecord& s : run.steps) {
      if (s.skipped || s.step->expect.for_personality(run.personality) == nullptr) continue;
      ++tests;
      if (!s.failures.empty() || !s.returned) ++failures;
    }
    out << "  <testsuite name=\"" << lab::xml_escaped(scenario.name + " [" + personality + "]") << "\" tests=\"" << tests
        << "\" failures=\"" << failures << "\" errors=\"0\" time=\"" << seconds(run.ended.time_since_epoch())
        << "\">\n";
    const std::string classname = lab::xml_escaped(scenario.name + "." + personality);
    for (const scenario::StepRecord& s : run.steps) {
      if (s.skipped || s.step->expect.for_personality(run.personality) == nullptr) continue;
      out << "    <testcase classname=\"" << classname << "\" name=\""
          << lab::xml_escaped(s.host + ": " + s.step->describe() + " (" + s.step->mark.where() + ")") << "\" time=\""
          << seconds(s.returned_at - s.started_at) << "\">\n";
      if (!s.returned) {
        out << "      <failure message=\"never returned\">the call was still blocked when the run ended</failure>\n";
      }
      for (const std::string& f : s.failures) {
        out << "      <failure message=\"" << lab::xml_escaped(f) << "\">" << lab::xml_escaped(s.result + ": " + s.explanation)
            << "</failure>\n";
      }
      out << "      <system-out>" << lab::xml_escaped(s.result + " -- " + s.explanation) << "</system-out>\n    </testcase>\n";
    }
    out << "    <testcase classname=\"" << classname << "\" name=\"the run: limits, blocked calls, segments on the wire\">\n";
    for (const std::string& p : run.problems) out << "      <failure message=\"" << lab::xml_escaped(p) << "\"/>\n";
    out << "    </testcase>\n  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace netstep::cli
