#pragma once
// The frame of the current step taken apart (views::dissect_frame): a
// layer tree (Ethernet, ARP or IPv4, ICMP, UDP or TCP with its options)
// beside a hex dump; picking a field lights its bytes in the dump.
#include <QSplitter>
#include <vector>

#include "debug_panel.hpp"
#include "views/frame_fields.hpp"

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace netstep::gui {

class FrameDetailPanel final : public QSplitter, public DebugPanel {
  Q_OBJECT

 public:
  explicit FrameDetailPanel(QWidget* parent = nullptr);
  void show_state(const DebuggerState& state) override;
  // The title line, the fields as the tree shows them, then the hex dump.
  [[nodiscard]] QStringList contents() const override;
  // Picks the first field with this name (as a click on it does).
  bool select_field(const QString& name);
  // The bytes lit in the hex dump: offset and length (0, 0 when none).
  [[nodiscard]] std::pair<std::size_t, std::size_t> lit_bytes() const { return lit_; }

 private:
  void light(std::size_t offset, std::size_t length);

  QLabel* title_;
  QTreeWidget* tree_;
  QPlainTextEdit* hex_;
  std::vector<std::byte> frame_;
  std::vector<views::FrameField> fields_;
  std::pair<std::size_t, std::size_t> lit_{0, 0};
};

}  // namespace netstep::gui
