#include "debug/debug_session.hpp"

#include <algorithm>
#include <stdexcept>

#include "sinks/narrative_sink.hpp"

namespace netstep::debug {

TraceEvent as_trace_event(const RecordedEvent& event) {
  TraceEvent e;
  e.sequence = event.sequence;
  e.time = event.time;
  e.host = event.host;
  e.layer = event.layer;
  e.payload = event.payload;
  e.frame = event.frame;
  return e;
}

DebugSession::DebugSession(WorldFactory factory) : factory_{std::move(factory)} { build(); }

DebugSession::~DebugSession() {
  // The world may still trace while it goes (timers cancelled): into the
  // recorder, before the bus and the loop go.
  world_.reset();
}

void DebugSession::build() {
  world_.reset();
  bus_.reset();
  loop_.reset();
  recorder_.clear();
  loop_ = std::make_unique<EventLoop>();
  bus_ = std::make_unique<TraceBus>(*loop_);
  bus_->attach(recorder_);
  world_ = factory_(*loop_, *bus_);
  hosts_ = world_->hosts();
  boundaries_.assign(1, emitted());
  revealed_ = emitted();  // what building traced is shown from the start
  if (known_.empty()) known_.push_back(emitted());
  if (known_.front() != emitted()) throw std::logic_error{"debug session: building the world again traced differently"};
  ++builds_;
}

bool DebugSession::run_one() {
  if (!world_->may_run(loop_->next_event_time())) return false;
  loop_->run_next();
  boundaries_.push_back(emitted());
  const std::size_t i = boundaries_.size() - 1;
  if (i == known_.size()) {
    known_.push_back(emitted());
  } else if (known_[i] != emitted()) {
    throw std::logic_error{"debug session: the run is not deterministic: loop event " + std::to_string(i) +
                           " traced " + std::to_string(emitted()) + " events in all, " + std::to_string(known_[i]) +
                           " the first time"};
  }
  return true;
}

void DebugSession::reveal_one() {
  const TraceEvent event = as_trace_event(recorder_.events()[revealed_++]);
  for (RevealListener* l : listeners_) l->revealed(event);
}

void DebugSession::replay_to_listeners() {
  for (RevealListener* l : listeners_) l->rewound();
  if (listeners_.empty()) return;
  for (std::size_t i = 0; i < revealed_; ++i) {
    const TraceEvent event = as_trace_event(recorder_.events()[i]);
    for (RevealListener* l : listeners_) l->revealed(event);
  }
}

std::optional<int> DebugSession::hit(const RecordedEvent& event) const {
  if (breakpoints_.empty()) return std::nullopt;
  const TraceEvent e = as_trace_event(event);
  for (const Entry& entry : breakpoints_) {
    if (entry.breakpoint->matches(e)) return entry.id;
  }
  return std::nullopt;
}

Stop DebugSession::stopped(Stop::Kind kind, std::size_t first, std::string why) const {
  Stop stop;
  stop.kind = kind;
  stop.why = std::move(why);
  stop.revealed = history().subspan(std::min(first, revealed_));
  if (revealed_ > 0) stop.event = recorder_.events()[revealed_ - 1].sequence;
  return stop;
}

Stop DebugSession::step() {
  const std::size_t first = revealed_;
  if (revealed_ == emitted() && !run_one()) return stopped(Stop::Kind::End, first, "the run has ended");
  while (revealed_ < emitted()) reveal_one();
  return stopped(Stop::Kind::Stepped, first, "stepped");
}

Stop DebugSession::step_into() {
  const std::size_t first = revealed_;
  while (revealed_ == emitted()) {
    if (!run_one()) return stopped(Stop::Kind::End, first, "the run has ended");
  }
  reveal_one();
  return stopped(Stop::Kind::Stepped, first, "stepped into");
}

Stop DebugSession::continue_() {
  const std::size_t first = revealed_;
  while (true) {
    while (revealed_ < emitted()) {
      const RecordedEvent& event = recorder_.events()[revealed_];
      reveal_one();
      if (const std::optional<int> id = hit(event)) {
        const auto entry = std::find_if(breakpoints_.begin(), breakpoints_.end(), [&](const Entry& e) { return e.id == *id; });
        Stop stop = stopped(Stop::Kind::Breakpoint, first,
                            "breakpoint " + std::to_string(*id) + " (" + entry->breakpoint->describe() + ") at event #" +
                                std::to_string(event.sequence) + ": " + std::string{event.host} + " " +
                                std::string{to_string(event.layer)} + " " +
                                narrate(as_trace_event(event), NarrativeOptions::Detail::Full));
        stop.breakpoint = *id;
        return stop;
      }
    }
    if (!run_one()) return stopped(Stop::Kind::End, first, "the run has ended");
  }
}

Stop DebugSession::run_to(Position target) {
  const Position here = position();
  const std::size_t n = loop_events();
  bool back = false;
  if (target.loop_events < n) {
    build();
    back = true;
  } else if (target.loop_events == n && n > 0 && target.revealed < here.revealed) {
    revealed_ = boundaries_[n - 1] + target.revealed;
    replay_to_listeners();
    return stopped(Stop::Kind::Position, boundaries_[n - 1], "at " + position().text());
  }
  const std::size_t first = revealed_;
  // Forward: the loop events before the target are shown whole.
  while (loop_events() < target.loop_events) {
    if (back) revealed_ = emitted();
    else
      while (revealed_ < emitted()) reveal_one();
    if (!run_one()) break;
  }
  const std::size_t m = loop_events();
  std::size_t until = emitted();
  if (m == target.loop_events && m > 0 && target.revealed != Position::all) {
    until = std::min(emitted(), boundaries_[m - 1] + target.revealed);
  }
  if (back) {
    revealed_ = until;
    replay_to_listeners();
    return stopped(Stop::Kind::Position, m > 0 ? boundaries_[m - 1] : revealed_, "at " + position().text());
  }
  while (revealed_ < until) reveal_one();
  if (m < target.loop_events) return stopped(Stop::Kind::End, first, "the run ended before " + target.text());
  return stopped(Stop::Kind::Position, first, "at " + position().text());
}

Stop DebugSession::step_back() {
  const std::size_t n = loop_events();
  if (n == 0) return stopped(Stop::Kind::End, revealed_, "at the start");
  Position target;
  target.loop_events = n - 1;
  target.revealed = Position::all;
  return run_to(target);
}

Stop DebugSession::step_back_into() {
  if (revealed_ <= boundaries_.front()) return stopped(Stop::Kind::End, revealed_, "at the start");
  const std::size_t wanted = revealed_ - 1;  // trace events revealed after going back
  Position target;
  if (wanted > boundaries_.front()) {
    // The first loop event by whose end that many events were emitted.
    const auto at = std::lower_bound(boundaries_.begin(), boundaries_.end(), wanted);
    const auto m = static_cast<std::size_t>(at - boundaries_.begin());
    target.loop_events = m;
    target.revealed = wanted - boundaries_[m - 1];
  }
  return run_to(target);
}

Stop DebugSession::restart() {
  build();
  replay_to_listeners();
  return stopped(Stop::Kind::Position, revealed_, "at the start");
}

int DebugSession::add_breakpoint(std::unique_ptr<Breakpoint> breakpoint) {
  Entry entry;
  entry.id = next_id_++;
  entry.breakpoint = std::move(breakpoint);
  breakpoints_.push_back(std::move(entry));
  return breakpoints_.back().id;
}

bool DebugSession::remove_breakpoint(int id) {
  const auto it = std::find_if(breakpoints_.begin(), breakpoints_.end(), [&](const Entry& e) { return e.id == id; });
  if (it == breakpoints_.end()) return false;
  breakpoints_.erase(it);
  return true;
}

std::vector<DebugSession::Listed> DebugSession::breakpoints() const {
  std::vector<Listed> out;
  for (const Entry& e : breakpoints_) out.push_back(Listed{e.id, e.breakpoint->describe()});
  return out;
}

Position DebugSession::position() const {
  Position p;
  p.loop_events = loop_events();
  if (p.loop_events > 0) p.revealed = revealed_ - boundaries_[p.loop_events - 1];
  return p;
}

Instant DebugSession::now() const { return loop_->now(); }

bool DebugSession::at_end() const { return revealed_ == emitted() && !world_->may_run(loop_->next_event_time()); }

std::span<const RecordedEvent> DebugSession::history() const {
  return std::span<const RecordedEvent>{recorder_.events()}.first(revealed_);
}

std::span<const RecordedEvent> DebugSession::current() const {
  const std::size_t n = loop_events();
  if (n == 0) return {};
  return history().subspan(boundaries_[n - 1]);
}

std::size_t DebugSession::current_size() const {
  const std::size_t n = loop_events();
  return n == 0 ? 0 : boundaries_[n] - boundaries_[n - 1];
}

std::optional<Layer> DebugSession::current_layer() const {
  const auto events = current();
  if (events.empty()) return std::nullopt;
  return events.back().layer;
}

void DebugSession::add_listener(RevealListener& listener) {
  listeners_.push_back(&listener);
  // A listener added late sees what was revealed already.
  listener.rewound();
  for (std::size_t i = 0; i < revealed_; ++i) listener.revealed(as_trace_event(recorder_.events()[i]));
}

void DebugSession::remove_listener(RevealListener& listener) {
  listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), &listener), listeners_.end());
}

}  // namespace netstep::debug
