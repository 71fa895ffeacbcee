#include "debug_repl.hpp"

#include <iostream>
#include <sstream>
#include <string>

#include "debug_command.hpp"
#include "sinks/narrative_sink.hpp"
#include "views/session_views.hpp"

namespace netstep::cli {

namespace {

using debug::DebugSession;
using debug::Stop;

constexpr std::string_view help_text =
    "  s, step          run one loop event; show every trace event it emitted\n"
    "  si, stepi        show the next trace event of the loop event, layer by layer\n"
    "  back             go back to the end of the previous loop event (re-executes the run)\n"
    "  backi            go back one trace event\n"
    "  c, continue      run to the next breakpoint, or the end\n"
    "  b SPEC           add a breakpoint: state:SYN-SENT, state:any, state:CLOSED@client,\n"
    "                   return:ECONNREFUSED, return:111, timer:retransmission, timer:any\n"
    "  breaks           list the breakpoints;  d N: delete breakpoint N\n"
    "  goto N[.K]       go to loop event N (and its K-th trace event), forward or back\n"
    "  restart          back to the start\n"
    "  where            the position, the time, the current loop event and the layer strip\n"
    "  diagram [N]      the sequence diagram model, the last N rows (default 20)\n"
    "  states           each connection's TCP states, with causes and RFC sections\n"
    "  sockets          the TCP connections, as ss -tan lists them\n"
    "  calls            every socket call's return, error, rule and cause\n"
    "  tcb [N]          the TCB variables of connection N (default: the first)\n"
    "  q, quit          leave\n";


std::string event_line(const RecordedEvent& e) {
  const TraceEvent t = debug::as_trace_event(e);
  return "#" + std::to_string(e.sequence) + "  " + format_seconds(e.time.time_since_epoch()) + "  " +
         std::string{e.host} + "  " + std::string{to_string(e.layer)} + "  " +
         narrate(t, NarrativeOptions::Detail::Full);
}

// driver eth arp ipv4 icmp udp tcp socket app, the current one in brackets.
std::string layer_strip(const DebugSession& session) {
  static constexpr Layer order[] = {Layer::Driver, Layer::Ethernet, Layer::Arp,    Layer::Ipv4, Layer::Icmp,
                                    Layer::Udp,    Layer::Tcp,      Layer::Socket, Layer::App};
  const std::optional<Layer> current = session.current_layer();
  std::string out = "layers:";
  for (const Layer l : order) {
    const std::string name{to_string(l)};
    out += current == l ? " [" + name + "]" : " " + name;
  }
  return out;
}

std::string where(const DebugSession& session) {
  std::string out = "at " + session.position().text() + " of loop event " +
                    std::to_string(session.position().loop_events) + " (" + std::to_string(session.position().revealed) +
                    " of " + std::to_string(session.current_size()) + " trace events shown), time " +
                    format_seconds(session.now().time_since_epoch()) + (session.at_end() ? ", at the end" : "") + "\n";
  for (const RecordedEvent& e : session.current()) out += "  " + event_line(e) + "\n";
  out += layer_strip(session) + "\n";
  return out;
}

void report(std::ostream& out, const Stop& stop, bool every_event) {
  if (every_event) {
    for (const RecordedEvent& e : stop.revealed) out << event_line(e) << "\n";
  } else if (!stop.revealed.empty()) {
    out << "(" << stop.revealed.size() << " trace events)\n" << event_line(stop.revealed.back()) << "\n";
  }
  switch (stop.kind) {
    case Stop::Kind::Stepped:
      if (stop.revealed.empty()) out << "(the loop event traced nothing)\n";
      break;
    case Stop::Kind::Breakpoint: out << "stopped: " << stop.why << "\n"; break;
    case Stop::Kind::End: out << "end: " << stop.why << "\n"; break;
    case Stop::Kind::Position: out << "now " << stop.why << "\n"; break;
  }
}

std::string last_rows(const views::SequenceModel& diagram, std::size_t rows) {
  const std::string text = diagram.text();
  std::vector<std::string> lines;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out = lines.empty() ? std::string{} : lines.front() + "\n";
  const std::size_t first = lines.size() > rows + 1 ? lines.size() - rows : 1;
  for (std::size_t i = first; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

std::optional<debug::Position> parse_position(const std::string& text) {
  debug::Position p;
  try {
    std::size_t used = 0;
    p.loop_events = std::stoull(text, &used);
    if (used < text.size()) {
      if (text[used] != '.') return std::nullopt;
      const std::string rest = text.substr(used + 1);
      p.revealed = rest == "*" ? debug::Position::all : std::stoull(rest);
    } else {
      p.revealed = debug::Position::all;
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return p;
}

}  // namespace

std::string where_text(const DebugSession& session) { return where(session); }

void debug_repl(DebugSession& session, std::istream& in, std::ostream& out, bool echo) {
  views::SessionViews views{session.hosts()};
  session.add_listener(views);
  std::string line;
  while (true) {
    out << "(netstep) " << std::flush;
    if (!std::getline(in, line)) {
      out << "\n";
      break;
    }
    if (echo) out << line << "\n";
    std::istringstream words{line};
    std::string command;
    std::string argument;
    words >> command >> argument;
    if (command.empty() || command[0] == '#') continue;
    if (command == "q" || command == "quit") break;
    if (command == "help" || command == "h") {
      out << help_text;
    } else if (command == "s" || command == "step") {
      report(out, session.step(), true);
    } else if (command == "si" || command == "stepi") {
      const Stop stop = session.step_into();
      report(out, stop, true);
      if (stop.kind != Stop::Kind::End) {
        out << "  (" << session.position().revealed << " of " << session.current_size() << ") " << layer_strip(session)
            << "\n";
      }
    } else if (command == "back") {
      report(out, session.step_back(), false);
    } else if (command == "backi") {
      report(out, session.step_back_into(), false);
    } else if (command == "c" || command == "continue") {
      report(out, session.continue_(), false);
    } else if (command == "b" || command == "break") {
      auto b = parse_breakpoint(argument);
      if (!b) {
        out << "expected b state:STATE[@HOST], state:any, return:ERROR, timer:NAME or timer:any\n";
      } else {
        const std::string what = b->describe();
        out << "breakpoint " << session.add_breakpoint(std::move(b)) << ": " << what << "\n";
      }
    } else if (command == "breaks") {
      for (const auto& b : session.breakpoints()) out << "  " << b.id << ": " << b.description << "\n";
      if (session.breakpoints().empty()) out << "no breakpoints\n";
    } else if (command == "d" || command == "delete") {
      int id = 0;
      try {
        id = std::stoi(argument);
      } catch (const std::exception&) {
      }
      out << (session.remove_breakpoint(id) ? "deleted breakpoint " : "no breakpoint ") << argument << "\n";
    } else if (command == "goto") {
      if (const auto p = parse_position(argument)) report(out, session.run_to(*p), false);
      else out << "expected goto N or goto N.K\n";
    } else if (command == "restart") {
      report(out, session.restart(), false);
    } else if (command == "where") {
      out << where(session);
    } else if (command == "diagram") {
      std::size_t rows = 20;
      if (!argument.empty()) {
        try {
          rows = std::stoul(argument);
        } catch (const std::exception&) {
        }
      }
      out << last_rows(views.diagram, rows);
    } else if (command == "states") {
      out << views.timeline.text();
    } else if (command == "sockets") {
      out << views.table.text();
    } else if (command == "calls") {
      out << views.calls.text();
    } else if (command == "tcb") {
      std::size_t n = 1;
      if (!argument.empty()) {
        try {
          n = std::stoul(argument);
        } catch (const std::exception&) {
        }
      }
      std::size_t i = 0;
      for (const auto& [key, c] : views.tcb.connections()) {
        ++i;
        out << (i == n ? "* " : "  ") << i << ": " << key.text() << "\n";
      }
      if (i == 0) out << "no TCB variables traced yet\n";
      i = 0;
      for (const auto& entry : views.tcb.connections()) {
        if (++i == n) out << views.tcb.text(entry.first);
      }
    } else {
      out << "unknown command '" << command << "' ('help' lists them)\n";
    }
  }
  session.remove_listener(views);
}

}  // namespace netstep::cli
