#pragma once
// The host names over the sequence diagram's lifelines. It stays put while
// the rows scroll under it, and follows them sideways.
#include <QWidget>
#include <string>
#include <vector>

class QScrollBar;

namespace netstep::gui {

class SequenceDiagramHeader final : public QWidget {
  Q_OBJECT

 public:
  // The rows below: the names line up with `canvas`, scrolled sideways by `bar`.
  SequenceDiagramHeader(const QWidget* canvas, const QScrollBar* bar, QWidget* parent = nullptr);
  void show_lifelines(std::vector<std::string> names);

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  std::vector<std::string> names_;
  const QWidget* canvas_;
  const QScrollBar* bar_;
};

}  // namespace netstep::gui
