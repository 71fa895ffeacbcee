#pragma once
// The rules on one link direction or switch port, in the order they were
// added. The first rule that matches and still has uses left decides; a
// rule whose count is used up lets frames pass to the rules after it.
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "sim/frame_rule.hpp"

namespace netstep::sim {

class RuleSet {
 public:
  struct Verdict {
    const RuleAction* action;
    std::string_view reason;  // "rule: drop (2 of 2)": valid as long as the RuleSet
  };

  // Throws std::invalid_argument for a negative count.
  void add(FrameRule rule);
  // The rule that takes this frame, or nullptr in `action` to let it pass.
  Verdict apply(Bytes frame);

  [[nodiscard]] bool empty() const { return rules_.empty(); }
  [[nodiscard]] std::size_t size() const { return rules_.size(); }
  // How many frames rule i has taken so far.
  [[nodiscard]] int applied(std::size_t i) const { return rules_.at(i).applied; }

 private:
  struct Entry {
    FrameRule rule;
    int applied = 0;
    std::string reason;                  // "rule: drop"
    std::deque<std::string> numbered;    // "rule: drop (k of N)", built once per k; stable addresses
  };
  std::vector<Entry> rules_;
};

}  // namespace netstep::sim
