// export/svg.cpp — SVG elements as text.
#include "export/svg.h"

#include <algorithm>
#include <cstdio>

#include "base/text_table.h"

namespace firstmile {

namespace {
std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}
}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

double text_width(const std::string& text, double size) {
  // 0.6 em per character is wide for DejaVu Sans/Arial averages (about 0.55), so estimates
  // err on the safe side; CJK characters take a full em.
  double width = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    width += length >= 3 ? 1.0 : 0.6;
    i += length;
  }
  return width * size;
}

std::string blend(const std::string& from, const std::string& to, double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto channel = [](const std::string& hex, int i) { return std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16); };
  char buffer[8];
  int rgb[3];
  for (int i = 0; i < 3; ++i) {
    rgb[i] = static_cast<int>(channel(from, i) + (channel(to, i) - channel(from, i)) * t + 0.5);
  }
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  return buffer;
}

SvgDocument::SvgDocument(double width, double height) : width_(width), height_(height) {}

void SvgDocument::rect(double x, double y, double width, double height, const std::string& fill,
                       const std::string& title, const std::string& stroke) {
  body_ << "  <rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(width) << "\" height=\""
        << num(height) << "\" fill=\"" << fill << "\"";
  if (!stroke.empty()) body_ << " stroke=\"" << stroke << "\" stroke-width=\"1\"";
  if (title.empty()) {
    body_ << "/>\n";
  } else {
    body_ << "><title>" << xml_escape(title) << "</title></rect>\n";
  }
}

void SvgDocument::line(double x1, double y1, double x2, double y2, const std::string& stroke, double width) {
  body_ << "  <line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2) << "\" y2=\"" << num(y2)
        << "\" stroke=\"" << stroke << "\" stroke-width=\"" << num(width) << "\"/>\n";
}

void SvgDocument::text(double x, double y, const std::string& content, const TextStyle& style) {
  body_ << "  <text x=\"" << num(x) << "\" y=\"" << num(y) << "\" font-size=\"" << num(style.size)
        << "\" text-anchor=\"" << style.anchor << "\" fill=\"" << style.fill << "\"";
  if (style.weight != "normal") body_ << " font-weight=\"" << style.weight << "\"";
  if (style.rotate != 0)
    body_ << " transform=\"rotate(" << num(style.rotate) << " " << num(x) << " " << num(y) << ")\"";
  body_ << ">" << xml_escape(content) << "</text>\n";
}

std::string SvgDocument::str() const {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width_) << "\" height=\"" << num(height_)
      << "\" viewBox=\"0 0 " << num(width_) << " " << num(height_)
      << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      << "  <rect x=\"0\" y=\"0\" width=\"" << num(width_) << "\" height=\"" << num(height_)
      << "\" fill=\"#ffffff\"/>\n"
      << body_.str() << "</svg>\n";
  return out.str();
}

}  // namespace firstmile
