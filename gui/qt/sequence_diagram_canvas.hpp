#pragma once
// The sequence diagram's rows, painted from the SequenceModel: a lifeline
// per host, an arrow per frame with its label (a dropped frame ends in a
// cross), TCP states in boxes on their lifeline, socket calls beside it,
// the current row highlighted. Only the rows in view are painted, so a
// long run costs no more to show than a short one.
#include <QWidget>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "views/sequence_model.hpp"

namespace netstep::gui {

class SequenceDiagramCanvas final : public QWidget {
  Q_OBJECT

 public:
  explicit SequenceDiagramCanvas(QWidget* parent = nullptr);
  // The model must outlive the canvas's use of it, or be replaced first.
  void show_model(const views::SequenceModel* model);
  // Where row `index` is drawn (its top), for scrolling to it.
  [[nodiscard]] static int row_top(std::size_t index);
  // The row of this trace event is outlined as the selection (none: nullopt).
  void select_event(std::optional<std::uint64_t> event);
  // The trace event of the row at `y`, if there is a row there.
  [[nodiscard]] std::optional<std::uint64_t> event_at(int y) const;

 Q_SIGNALS:
  // A click on a row: the trace event that made it.
  void event_clicked(quint64 event);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  [[nodiscard]] std::optional<std::size_t> lifeline_of(const std::string& host) const;
  void paint_frame(QPainter& painter, const views::DiagramRow& row, int top) const;
  void paint_state(QPainter& painter, const views::DiagramRow& row, int top) const;
  void paint_call(QPainter& painter, const views::DiagramRow& row, int top) const;

  const views::SequenceModel* model_ = nullptr;
  std::optional<std::uint64_t> selected_;
};

}  // namespace netstep::gui
