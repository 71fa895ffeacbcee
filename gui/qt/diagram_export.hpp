#pragma once
// The sequence diagram as a picture for a handout: the host names over the
// whole run's rows (not only the part in view), as PNG or SVG.
#include <QString>

class QWidget;

namespace netstep::gui {

// Draws `header` above `rows` (each at its full size) into `path`: SVG when
// it ends in .svg, PNG otherwise. Returns what went wrong, empty on success.
QString export_diagram(const QWidget& header, const QWidget& rows, const QString& path);

}  // namespace netstep::gui
