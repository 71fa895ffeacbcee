#include "main_window.hpp"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>

#include "base/time.hpp"
#include "capture_export.hpp"
#include "debug/run_to_event.hpp"
#include "event_log_panel.hpp"
#include "frame_detail_panel.hpp"
#include "layer_strip.hpp"
#include "scenario/debug_world.hpp"
#include "scenario/scenario_loader.hpp"
#include "sequence_diagram_panel.hpp"
#include "socket/personality.hpp"
#include "socket_calls_panel.hpp"
#include "socket_table_panel.hpp"
#include "state_list_panel.hpp"
#include "state_machine_panel.hpp"
#include "tcb_chart_panel.hpp"
#include "tcb_panel.hpp"

namespace netstep::gui {

namespace {

const QStringList personality_names{"linux", "freebsd", "winsock", "freertos", "targettcp"};

QString name_of(socket::PersonalityId id) {
  const std::string_view name = socket::Personality::get(id).name();
  return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow{parent} {
  setWindowTitle(tr("netstep debugger"));
  setDockNestingEnabled(true);
  build_actions();
  build_docks();
  position_label_ = new QLabel{this};
  time_label_ = new QLabel{this};
  stop_label_ = new QLabel{this};
  statusBar()->addWidget(position_label_);
  statusBar()->addWidget(time_label_);
  statusBar()->addWidget(stop_label_, 1);
  resize(1500, 950);
}

MainWindow::~MainWindow() {
  // The session holds the views as a listener: it goes first.
  session_.reset();
}

void MainWindow::build_actions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open scenario..."), this, &MainWindow::choose_file);
  open->setShortcut(QKeySequence::Open);
  file->addSeparator();
  file->addAction(tr("Export &diagram as PNG or SVG..."), this, &MainWindow::choose_export_diagram);
  file->addAction(tr("Export &capture (pcapng)..."), this, &MainWindow::choose_export_capture);
  QAction* wireshark = file->addAction(tr("Open in &Wireshark"), this, [this] {
    if (const QString error = open_in_wireshark(); !error.isEmpty()) QMessageBox::warning(this, tr("Wireshark"), error);
  });
  wireshark->setEnabled(!QStandardPaths::findExecutable("wireshark").isEmpty());
  wireshark->setToolTip(wireshark->isEnabled() ? tr("The whole run as a capture, opened in Wireshark")
                                               : tr("Wireshark is not installed (Debian: wireshark)"));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* debug = menuBar()->addMenu(tr("&Debug"));
  QToolBar* bar = addToolBar(tr("Debug"));
  bar->setObjectName("debug-toolbar");
  bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  const auto add = [&](const QString& text, const QKeySequence& key, void (MainWindow::*slot)(), const QString& tip) {
    QAction* action = debug->addAction(text, this, slot);
    action->setShortcut(key);
    action->setToolTip(tip + " (" + key.toString(QKeySequence::NativeText) + ")");
    bar->addAction(action);
    return action;
  };
  back_actions_.push_back(add(tr("Restart"), QKeySequence{Qt::CTRL | Qt::Key_R}, &MainWindow::restart,
                              tr("Back to the start: nothing has run")));
  back_actions_.push_back(add(tr("Step back"), QKeySequence{Qt::SHIFT | Qt::Key_F11}, &MainWindow::step_back,
                              tr("Back to the end of the previous loop event")));
  back_actions_.push_back(add(tr("Back one event"), QKeySequence{Qt::CTRL | Qt::Key_F10}, &MainWindow::step_back_into,
                              tr("Back by one trace event")));
  forward_actions_.push_back(add(tr("Step into"), QKeySequence{Qt::Key_F11}, &MainWindow::step_into,
                                 tr("The next trace event only: one layer at a time")));
  forward_actions_.push_back(add(tr("Step"), QKeySequence{Qt::Key_F10}, &MainWindow::step,
                                 tr("Run the next loop event (or show the rest of the current one)")));
  forward_actions_.push_back(add(tr("Continue"), QKeySequence{Qt::Key_F5}, &MainWindow::continue_run,
                                 tr("Run to the end")));

  bar->addSeparator();
  bar->addWidget(new QLabel{tr(" Personality: "), bar});
  personality_box_ = new QComboBox{bar};
  personality_box_->addItems(personality_names);
  personality_box_->setToolTip(tr("Whose socket API and TCP behaviour the hosts follow; the run is rebuilt"));
  bar->addWidget(personality_box_);
  connect(personality_box_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    if (const QString error = set_personality(name); !error.isEmpty()) QMessageBox::warning(this, tr("Personality"), error);
  });
}

void MainWindow::build_docks() {
  auto* strip = new LayerStrip;
  add_panel(tr("Layers"), strip, strip, Qt::TopDockWidgetArea);
  auto* diagram = new SequenceDiagramPanel;
  diagram_ = diagram;
  connect(diagram, &SequenceDiagramPanel::event_selected, this, &MainWindow::select_event);
  QDockWidget* diagram_dock = add_panel(tr("Sequence diagram"), diagram, diagram, Qt::LeftDockWidgetArea);
  auto* calls = new SocketCallsPanel;
  QDockWidget* calls_dock = add_panel(tr("Socket calls"), calls, calls, Qt::RightDockWidgetArea);
  auto* states = new StateListPanel;
  QDockWidget* states_dock = add_panel(tr("TCP states"), states, states, Qt::RightDockWidgetArea);
  auto* machine = new StateMachinePanel;
  QDockWidget* machine_dock = add_panel(tr("State machine (RFC 9293)"), machine, machine, Qt::RightDockWidgetArea);
  auto* sockets = new SocketTablePanel;
  QDockWidget* sockets_dock = add_panel(tr("Sockets (ss -tan)"), sockets, sockets, Qt::RightDockWidgetArea);
  auto* tcb = new TcbPanel;
  QDockWidget* tcb_dock = add_panel(tr("TCB variables"), tcb, tcb, Qt::RightDockWidgetArea);
  auto* log = new EventLogPanel;
  connect(log, &EventLogPanel::event_selected, this, &MainWindow::select_event);
  QDockWidget* log_dock = add_panel(tr("Event log"), log, log, Qt::BottomDockWidgetArea);
  auto* plot = new TcbChartPanel;
  QDockWidget* plot_dock = add_panel(tr("TCB plot"), plot, plot, Qt::BottomDockWidgetArea);
  auto* frame = new FrameDetailPanel;
  QDockWidget* frame_dock = add_panel(tr("Frame detail"), frame, frame, Qt::BottomDockWidgetArea);

  // Sockets and the TCB share a place, and the log and the plot (which
  // wants width): a tab each.
  tabifyDockWidget(sockets_dock, tcb_dock);
  sockets_dock->raise();
  // The list of states and the figure say the same thing two ways.
  tabifyDockWidget(states_dock, machine_dock);
  machine_dock->raise();
  tabifyDockWidget(log_dock, plot_dock);
  tabifyDockWidget(log_dock, frame_dock);
  log_dock->raise();
  // The diagram is what a student watches: it gets most of the width.
  resizeDocks({diagram_dock, calls_dock}, {880, 620}, Qt::Horizontal);
  resizeDocks({diagram_dock, log_dock}, {560, 260}, Qt::Vertical);
}

QDockWidget* MainWindow::add_panel(const QString& title, QWidget* widget, DebugPanel* panel, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget{title, this};
  dock->setObjectName(title);
  dock->setWidget(widget);
  addDockWidget(area, dock);
  panels_.emplace_back(title, panel);
  return dock;
}

QString MainWindow::personality() const { return name_of(personality_); }

QString MainWindow::open_scenario(const QString& file, const QString& personality) {
  std::shared_ptr<const scenario::Scenario> loaded;
  try {
    loaded = std::make_shared<const scenario::Scenario>(scenario::load_scenario_file(file.toStdString()));
  } catch (const scenario::ScenarioError& e) {
    return QString::fromStdString(e.what());
  }
  socket::PersonalityId id = loaded->personalities.front();
  if (!personality.isEmpty()) {
    const socket::Personality* p = socket::Personality::find(personality.toStdString());
    if (p == nullptr) {
      return tr("unknown personality '%1' (expected %2)").arg(personality, personality_names.join(", "));
    }
    id = p->id();
  }
  if (const QString error = replace_run(loaded, id, debug::Position{}); !error.isEmpty()) return error;
  file_ = file;
  setWindowTitle(tr("netstep debugger: %1 (%2)").arg(QString::fromStdString(scenario_->name), QFileInfo{file}.fileName()));
  const QSignalBlocker quiet{personality_box_};
  personality_box_->setCurrentText(name_of(personality_));
  return {};
}

QString MainWindow::set_personality(const QString& name) {
  const socket::Personality* p = socket::Personality::find(name.toStdString());
  if (p == nullptr) return tr("unknown personality '%1'").arg(name);
  if (!scenario_ || p->id() == personality_) return {};
  // Where the student was, as far as this personality's run goes.
  const QString error = replace_run(scenario_, p->id(), session_ ? session_->position() : debug::Position{});
  const QSignalBlocker quiet{personality_box_};
  personality_box_->setCurrentText(name_of(personality_));
  return error;
}

QString MainWindow::replace_run(std::shared_ptr<const scenario::Scenario> scenario, socket::PersonalityId personality,
                                debug::Position to) {
  const auto old_scenario = scenario_;
  const auto old_personality = personality_;
  const debug::Position old_position = session_ ? session_->position() : debug::Position{};
  scenario_ = std::move(scenario);
  personality_ = personality;
  try {
    rebuild(to);
  } catch (const scenario::ScenarioError& e) {
    // The run that could not be built leaves the one the student had.
    scenario_ = old_scenario;
    personality_ = old_personality;
    if (scenario_) rebuild(old_position);
    return QString::fromStdString(e.what());
  }
  return {};
}

void MainWindow::rebuild(debug::Position to) {
  session_.reset();
  auto session = std::make_unique<debug::DebugSession>(scenario::debug_world_factory(scenario_, personality_));
  views_ = std::make_unique<views::SessionViews>(session->hosts());
  session->add_listener(*views_);  // it shows the views what building traced
  session_ = std::move(session);
  ++session_number_;
  selected_event_.reset();
  if (to == debug::Position{}) {
    stop_text_ = tr("at the start, as %1").arg(name_of(personality_));
    show_everything();
  } else {
    moved(session_->run_to(to));
  }
}

void MainWindow::choose_file() {
  const QString start = file_.isEmpty() ? QStringLiteral(NETSTEP_SOURCE_DIR "/labs/scenarios") : QFileInfo{file_}.path();
  const QString file = QFileDialog::getOpenFileName(this, tr("Open scenario"), start, tr("Scenarios (*.yaml *.yml)"));
  if (file.isEmpty()) return;
  if (const QString error = open_scenario(file); !error.isEmpty()) QMessageBox::warning(this, tr("Open scenario"), error);
}

void MainWindow::choose_export_diagram() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the sequence diagram"), "diagram.png",
                                                    tr("Pictures (*.png *.svg)"));
  if (path.isEmpty()) return;
  if (const QString error = export_diagram(path); !error.isEmpty()) QMessageBox::warning(this, tr("Export"), error);
}

void MainWindow::choose_export_capture() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export the capture"), "run.pcapng", tr("Captures (*.pcapng)"));
  if (path.isEmpty()) return;
  if (const QString error = export_capture(path); !error.isEmpty()) QMessageBox::warning(this, tr("Export"), error);
}

QString MainWindow::export_diagram(const QString& path) const { return diagram_->export_to(path); }

QString MainWindow::export_capture(const QString& path) const {
  if (!scenario_) return tr("no scenario is open");
  return gui::export_capture(*scenario_, personality_, path);
}

QString MainWindow::open_in_wireshark() {
  const QString wireshark = QStandardPaths::findExecutable("wireshark");
  if (wireshark.isEmpty()) return tr("Wireshark is not installed (Debian: sudo apt-get install wireshark)");
  const QString path = QDir{QDir::tempPath()}.filePath(
      QString{"netstep-%1-%2.pcapng"}.arg(QString::fromStdString(scenario_ ? scenario_->name : "run"), personality()));
  if (const QString error = export_capture(path); !error.isEmpty()) return error;
  if (!QProcess::startDetached(wireshark, {path})) return tr("could not start %1").arg(wireshark);
  return {};
}

void MainWindow::select_event(std::uint64_t event) {
  if (!session_ || event >= session_->history().size() || selected_event_ == event) return;
  selected_event_ = event;
  show_everything();
}

void MainWindow::step() {
  if (session_) moved(session_->step());
}
void MainWindow::step_into() {
  if (session_) moved(session_->step_into());
}
void MainWindow::step_back() {
  if (session_) moved(session_->step_back());
}
void MainWindow::step_back_into() {
  if (session_) moved(session_->step_back_into());
}
void MainWindow::continue_run() {
  if (session_) moved(session_->continue_());
}
void MainWindow::restart() {
  if (session_) moved(session_->restart());
}

void MainWindow::go_to_event(quint64 sequence) {
  if (session_) moved(debug::run_to_event(*session_, sequence));
}

void MainWindow::moved(const debug::Stop& stop) {
  selected_event_.reset();  // the panels follow the step again
  switch (stop.kind) {
    case debug::Stop::Kind::Stepped:
      stop_text_ = stop.revealed.empty() ? tr("stepped: the loop event traced nothing")
                     : stop.revealed.size() == 1 ? tr("stepped: 1 trace event")
                                                 : tr("stepped: %1 trace events").arg(stop.revealed.size());
      break;
    case debug::Stop::Kind::Breakpoint: stop_text_ = tr("stopped: %1").arg(QString::fromStdString(stop.why)); break;
    case debug::Stop::Kind::End: stop_text_ = tr("end: %1").arg(QString::fromStdString(stop.why)); break;
    case debug::Stop::Kind::Position: stop_text_ = QString::fromStdString(stop.why); break;
  }
  show_everything();
}

void MainWindow::show_everything() {
  const DebuggerState state{*session_, *views_, session_number_, selected_event_};
  for (const auto& [title, panel] : panels_) panel->show_state(state);
  const debug::Position p = session_->position();
  position_label_->setText(tr("position %1 (%2 of %3 trace events of loop event %4)")
                               .arg(QString::fromStdString(p.text()))
                               .arg(p.revealed)
                               .arg(session_->current_size())
                               .arg(p.loop_events));
  time_label_->setText(tr("time %1 s").arg(QString::fromStdString(format_seconds(session_->now().time_since_epoch()))));
  const bool say_end = session_->at_end() && !stop_text_.startsWith(tr("end:"));
  stop_label_->setText(say_end ? stop_text_ + tr("  (at the end)") : stop_text_);
  for (QAction* action : forward_actions_) action->setEnabled(!session_->at_end());
  for (QAction* action : back_actions_) action->setEnabled(p.loop_events > 0);  // at 0.0 nothing has run
}

QString MainWindow::status_text() const {
  return position_label_->text() + " | " + time_label_->text() + " | " + stop_label_->text();
}

}  // namespace netstep::gui
