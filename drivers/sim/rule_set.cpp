#include "sim/rule_set.hpp"

#include <stdexcept>

namespace netstep::sim {

void RuleSet::add(FrameRule rule) {
  if (rule.count && *rule.count < 0) {
    throw std::invalid_argument("frame rule: count = " + std::to_string(*rule.count) +
                                " is negative (use nullopt for every matching frame)");
  }
  std::string reason = "rule: " + describe(rule.action);
  rules_.push_back(Entry{std::move(rule), 0, std::move(reason), {}});
}

RuleSet::Verdict RuleSet::apply(Bytes frame) {
  for (Entry& entry : rules_) {
    const auto& count = entry.rule.count;
    if (count && entry.applied >= *count) continue;
    if (!entry.rule.match.matches(frame)) continue;
    ++entry.applied;
    if (!count) return Verdict{&entry.rule.action, entry.reason};
    // Trace reasons are borrowed views, so each numbered text is kept for
    // the life of the rule (at most `count` of them).
    entry.numbered.push_back(entry.reason + " (" + std::to_string(entry.applied) + " of " +
                             std::to_string(*count) + ")");
    return Verdict{&entry.rule.action, entry.numbered.back()};
  }
  return Verdict{nullptr, {}};
}

}  // namespace netstep::sim
