#include "layer_strip.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <array>

namespace netstep::gui {

namespace {

constexpr std::array order{Layer::Driver, Layer::Ethernet, Layer::Arp,    Layer::Ipv4, Layer::Icmp,
                           Layer::Udp,    Layer::Tcp,      Layer::Socket, Layer::App};

const QString idle_style = QStringLiteral("QLabel { padding: 3px 8px; border: 1px solid #aaa; border-radius: 3px; }");
const QString lit_style = QStringLiteral(
    "QLabel { padding: 3px 8px; border: 1px solid #b58900; border-radius: 3px; background: #ffe680; font-weight: bold; }");

}  // namespace

LayerStrip::LayerStrip(QWidget* parent) : QWidget{parent} {
  auto* layout = new QHBoxLayout{this};
  layout->setContentsMargins(6, 4, 6, 4);
  for (const Layer layer : order) {
    auto* label = new QLabel{QString::fromUtf8(to_string(layer).data(), static_cast<qsizetype>(to_string(layer).size())), this};
    label->setAlignment(Qt::AlignCenter);
    label->setStyleSheet(idle_style);
    layout->addWidget(label);
    labels_.push_back(label);
  }
  layout->addStretch();
  // One line of labels: the dock does not grow taller than that.
  setMaximumHeight(sizeHint().height());
}

void LayerStrip::show_state(const DebuggerState& state) {
  const std::optional<Layer> layer = state.session.current_layer();
  current_ = -1;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const bool lit = layer == order[i];
    if (lit) current_ = static_cast<int>(i);
    labels_[i]->setStyleSheet(lit ? lit_style : idle_style);
  }
}

QStringList LayerStrip::contents() const {
  QStringList names;
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    names << (static_cast<int>(i) == current_ ? "[" + labels_[i]->text() + "]" : labels_[i]->text());
  }
  return {names.join(' ')};
}

}  // namespace netstep::gui
