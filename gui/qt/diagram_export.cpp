#include "diagram_export.hpp"

#include <QImage>
#include <QPainter>
#include <QFileInfo>
#include <QSvgGenerator>
#include <QWidget>

namespace netstep::gui {

namespace {

// Both widgets, one under the other, on `device`.
void draw(QPaintDevice& device, const QWidget& header, const QWidget& rows) {
  QPainter painter{&device};
  painter.fillRect(QRect{0, 0, std::max(header.width(), rows.width()), header.height() + rows.height()}, Qt::white);
  // render() is not const in Qt's API, though it changes nothing here.
  const_cast<QWidget&>(header).render(&painter, QPoint{0, 0}, QRegion{}, QWidget::DrawChildren);
  const_cast<QWidget&>(rows).render(&painter, QPoint{0, header.height()}, QRegion{}, QWidget::DrawChildren);
}

}  // namespace

QString export_diagram(const QWidget& header, const QWidget& rows, const QString& path) {
  const QSize size{std::max(header.width(), rows.width()), header.height() + rows.height()};
  if (path.endsWith(".svg", Qt::CaseInsensitive)) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect{QPoint{0, 0}, size});
    svg.setTitle(QObject::tr("netstep sequence diagram"));
    draw(svg, header, rows);
    // QSvgGenerator says nothing when it cannot write: look.
    if (!QFileInfo::exists(path)) return QObject::tr("cannot write %1").arg(path);
    return {};
  }
  QImage image{size, QImage::Format_ARGB32};
  image.fill(Qt::white);
  draw(image, header, rows);
  if (!image.save(path, "PNG")) return QObject::tr("cannot write %1").arg(path);
  return {};
}

}  // namespace netstep::gui
