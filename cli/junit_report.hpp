#pragma once
// JUnit XML for a scenario's runs, as CI servers and autograders read it:
// one <testsuite> per personality, one <testcase> per step that had an
// expectation, plus one for the scenario-wide checks.
#include <iosfwd>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/scenario_runner.hpp"

namespace netstep::cli {

void write_junit(std::ostream& out, const scenario::Scenario& scenario, const std::vector<scenario::RunReport>& runs);

}  // namespace netstep::cli
