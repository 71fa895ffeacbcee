#include "frame_detail_panel.hpp"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "base/time.hpp"
#include "wire/describe.hpp"

namespace netstep::gui {

namespace {

// The hex dump's layout (views::hex_dump): "0000 " then " xx" per byte.
constexpr int offset_columns = 5;
constexpr int columns_per_byte = 3;
constexpr std::size_t bytes_per_line = 16;

const QColor lit_colour{255, 223, 120};

}  // namespace

FrameDetailPanel::FrameDetailPanel(QWidget* parent)
    : QSplitter{Qt::Horizontal, parent}, title_{new QLabel}, tree_{new QTreeWidget}, hex_{new QPlainTextEdit} {
  auto* left = new QWidget;
  auto* layout = new QVBoxLayout{left};
  layout->setContentsMargins(0, 0, 0, 0);
  title_->setWordWrap(true);
  layout->addWidget(title_);
  layout->addWidget(tree_, 1);
  tree_->setHeaderLabels({tr("field"), tr("value"), tr("bytes")});
  tree_->setUniformRowHeights(true);
  tree_->header()->setStretchLastSection(false);
  hex_->setReadOnly(true);
  hex_->setLineWrapMode(QPlainTextEdit::NoWrap);
  hex_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  addWidget(left);
  addWidget(hex_);
  setStretchFactor(0, 3);
  setStretchFactor(1, 2);
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    if (item == nullptr) return;
    const auto index = item->data(0, Qt::UserRole).toULongLong();
    if (index < fields_.size()) light(fields_[index].offset, fields_[index].length);
  });
}

void FrameDetailPanel::show_state(const DebuggerState& state) {
  // The frame the student clicked, else that of the latest trace event
  // that carries one.
  const RecordedEvent* latest = nullptr;
  const auto history = state.session.history();
  if (state.selected_event && *state.selected_event < history.size() &&
      !history[*state.selected_event].frame.empty()) {
    latest = &history[*state.selected_event];
  }
  for (auto it = history.rbegin(); latest == nullptr && it != history.rend(); ++it) {
    if (!it->frame.empty()) latest = &*it;
  }
  const QSignalBlocker quiet{tree_};
  tree_->clear();
  frame_.clear();
  fields_.clear();
  lit_ = {0, 0};
  if (latest == nullptr) {
    title_->setText(tr("No frame yet: step until one is sent."));
    hex_->clear();
    return;
  }
  frame_.assign(latest->frame.begin(), latest->frame.end());
  title_->setText(tr("#%1  %2  %3: %4")
                      .arg(latest->sequence)
                      .arg(QString::fromStdString(format_seconds(latest->time.time_since_epoch())),
                           QString::fromUtf8(latest->host.data(), static_cast<int>(latest->host.size())),
                           QString::fromStdString(wire::describe_frame(frame_))));
  fields_ = views::dissect_frame(frame_);
  std::vector<QTreeWidgetItem*> parents;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const views::FrameField& f = fields_[i];
    const QStringList cells{QString::fromStdString(f.name), QString::fromStdString(f.value),
                            f.length == 0 ? QString{} : QString{"%1-%2"}.arg(f.offset).arg(f.offset + f.length - 1)};
    parents.resize(static_cast<std::size_t>(f.depth));
    auto* item = parents.empty() ? new QTreeWidgetItem{tree_, cells} : new QTreeWidgetItem{parents.back(), cells};
    item->setData(0, Qt::UserRole, QVariant::fromValue<qulonglong>(i));
    if (f.depth == 0) {
      QFont bold = item->font(0);
      bold.setBold(true);
      item->setFont(0, bold);
    }
    parents.push_back(item);
  }
  tree_->expandAll();
  for (int c = 0; c < tree_->columnCount(); ++c) tree_->resizeColumnToContents(c);
  hex_->setPlainText(QString::fromStdString(views::hex_dump(frame_)));
  light(0, 0);
}

bool FrameDetailPanel::select_field(const QString& name) {
  const auto found = tree_->findItems(name, Qt::MatchExactly | Qt::MatchRecursive, 0);
  if (found.isEmpty()) return false;
  tree_->setCurrentItem(found.front());
  return true;
}

void FrameDetailPanel::light(std::size_t offset, std::size_t length) {
  lit_ = {offset, length};
  QList<QTextEdit::ExtraSelection> selections;
  for (std::size_t i = offset; i < offset + length && i < frame_.size(); ++i) {
    const QTextBlock line = hex_->document()->findBlockByNumber(static_cast<int>(i / bytes_per_line));
    QTextCursor cursor{line};
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                        offset_columns + static_cast<int>(i % bytes_per_line) * columns_per_byte + 1);
    cursor.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, 2);
    QTextEdit::ExtraSelection selection;
    selection.cursor = cursor;
    selection.format.setBackground(lit_colour);
    selections << selection;
  }
  hex_->setExtraSelections(selections);
}

QStringList FrameDetailPanel::contents() const {
  QStringList lines{title_->text()};
  for (const views::FrameField& f : fields_) {
    lines << QString(f.depth * 2, ' ') + QString::fromStdString(f.name) +
                 (f.value.empty() ? QString{} : ": " + QString::fromStdString(f.value));
  }
  lines << hex_->toPlainText().split('\n', Qt::SkipEmptyParts);
  return lines;
}

}  // namespace netstep::gui
