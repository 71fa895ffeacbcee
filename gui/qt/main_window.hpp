#pragma once
// The debugger's window: a scenario file played by a debug session under
// one personality, moved by the toolbar and the keys (F10 step, F11 step
// into, Shift+F11 step back, Ctrl+F10 step back one trace event, F5
// continue, Ctrl+R restart), shown by docks that each draw one view model.
#include <QMainWindow>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "debug/debug_session.hpp"
#include "debug_panel.hpp"
#include "views/session_views.hpp"
#include "scenario/scenario.hpp"

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;

namespace netstep::gui {

class SequenceDiagramPanel;

class MainWindow final : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens `file` under `personality` (empty: the file's first). Returns
  // what went wrong, empty on success; on failure the window keeps what it had.
  QString open_scenario(const QString& file, const QString& personality = {});
  // The same scenario under another personality, at the same position (or its end).
  QString set_personality(const QString& name);

  [[nodiscard]] const debug::DebugSession* session() const { return session_.get(); }
  [[nodiscard]] QString personality() const;
  // Each dock's title and panel, in the order they were added.
  [[nodiscard]] const std::vector<std::pair<QString, DebugPanel*>>& panels() const { return panels_; }
  // The status bar: position, virtual time, why it stopped.
  [[nodiscard]] QString status_text() const;

  // File menu: each returns what went wrong, empty on success.
  // The sequence diagram so far as PNG or SVG (by the file's ending).
  QString export_diagram(const QString& path) const;
  // The whole run as pcapng, as `netstep run --pcap` writes it.
  QString export_capture(const QString& path) const;
  // The whole run in Wireshark (a capture in the temporary folder), if it is installed.
  QString open_in_wireshark();

  // Selects a trace event everywhere (a click on an arrow or a log line
  // does this); the next move clears the selection.
  void select_event(std::uint64_t event);
  [[nodiscard]] std::optional<std::uint64_t> selected_event() const { return selected_event_; }

 public Q_SLOTS:
  void step();
  void step_into();
  void step_back();
  void step_back_into();
  void continue_run();
  void restart();
  // Runs (or goes back) until trace event #`sequence` is the last shown;
  // one past the end stops at the end and the status bar says so.
  void go_to_event(quint64 sequence);

 private:
  void build_actions();
  void build_docks();
  QDockWidget* add_panel(const QString& title, QWidget* widget, DebugPanel* panel, Qt::DockWidgetArea area);
  void choose_file();
  void choose_export_diagram();
  void choose_export_capture();
  // Plays `scenario` as `personality` from the start to `to`; if it cannot
  // be built, keeps the run it had and returns why.
  QString replace_run(std::shared_ptr<const scenario::Scenario> scenario, socket::PersonalityId personality,
                      debug::Position to);
  // Builds the session for the scenario and personality held, then goes to `to`.
  void rebuild(debug::Position to);
  void moved(const debug::Stop& stop);
  void show_everything();

  std::shared_ptr<const scenario::Scenario> scenario_;
  QString file_;
  socket::PersonalityId personality_{};
  // The views outlive the session that feeds them.
  std::unique_ptr<views::SessionViews> views_;
  std::unique_ptr<debug::DebugSession> session_;
  std::uint64_t session_number_ = 0;
  QString stop_text_;

  QComboBox* personality_box_ = nullptr;
  QLabel* position_label_ = nullptr;
  QLabel* time_label_ = nullptr;
  QLabel* stop_label_ = nullptr;
  std::vector<QAction*> forward_actions_;
  std::vector<QAction*> back_actions_;
  std::vector<std::pair<QString, DebugPanel*>> panels_;
  SequenceDiagramPanel* diagram_ = nullptr;
  std::optional<std::uint64_t> selected_event_;
};

}  // namespace netstep::gui
