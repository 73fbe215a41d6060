// export/svg.h — a minimal SVG writer for figures: shapes, text, fixed-precision numbers.
//
//   SvgDocument svg(640, 400);
//   svg.rect(10, 10, 100, 20, "#4477aa");
//   svg.text(10, 50, "Crash", {.anchor = "start", .size = 12});
//   std::string file = svg.str();
//
// Coordinates print with two decimals and attributes in a fixed order, so the same figure is
// the same bytes. Text is XML-escaped. Widths of text are estimated (no font metrics here):
// text_width() errs on the wide side so labels do not collide.
#pragma once

#include <sstream>
#include <string>

namespace firstmile {

struct TextStyle {
  std::string anchor = "start";  // start, middle, end
  double size = 12;
  std::string weight = "normal";
  std::string fill = "#222222";
  double rotate = 0;  // degrees, around the anchor point
};

class SvgDocument {
 public:
  SvgDocument(double width, double height);
  void rect(double x, double y, double width, double height, const std::string& fill, const std::string& title = "",
            const std::string& stroke = "");
  void line(double x1, double y1, double x2, double y2, const std::string& stroke, double width = 1);
  void text(double x, double y, const std::string& content, const TextStyle& style = {});
  std::string str() const;

 private:
  double width_, height_;
  std::ostringstream body_;
};

std::string xml_escape(const std::string& text);
// Estimated rendered width of `text` at `size` px in a sans-serif font.
double text_width(const std::string& text, double size);
// "#rrggbb" between two colours, t in [0, 1].
std::string blend(const std::string& from, const std::string& to, double t);

}  // namespace firstmile
