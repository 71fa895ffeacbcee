#include "capture_export.hpp"

#include <QObject>
#include <fstream>
#include <optional>

#include "capture/pcapng_writer.hpp"
#include "event/event_loop.hpp"
#include "scenario/scenario_runner.hpp"
#include "scenario/scenario_world.hpp"
#include "topology/capture_links.hpp"
#include "trace/trace_bus.hpp"

namespace netstep::gui {

QString export_capture(const scenario::Scenario& scenario, socket::PersonalityId personality, const QString& path) {
  std::ofstream out{path.toStdString(), std::ios::binary | std::ios::trunc};
  if (!out) return QObject::tr("cannot write %1").arg(path);
  EventLoop loop;
  TraceBus bus{loop};
  std::optional<capture::PcapngWriter> writer;
  try {
    (void)scenario::run_scenario(scenario, personality, loop, bus, [&](scenario::ScenarioWorld& world) {
      writer.emplace(out, topology::capture_links(world.network()));
      bus.attach(*writer);
    });
  } catch (const std::exception& e) {
    if (writer) bus.detach(*writer);
    return QObject::tr("cannot play the scenario again: %1").arg(QString::fromStdString(e.what()));
  }
  if (!writer) return QObject::tr("the scenario built no network to capture");
  writer->finish();
  bus.detach(*writer);
  out.flush();
  if (!out) return QObject::tr("cannot write %1").arg(path);
  return {};
}

}  // namespace netstep::gui
