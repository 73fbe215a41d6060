// export/figures.cpp — layout of each figure kind.
#include "export/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "base/text.h"
#include "base/text_table.h"
#include "export/svg.h"
#include "export/tables.h"

namespace firstmile {

namespace {

// Paul Tol's qualitative palettes (colour-blind safe), "muted" then "bright".
const char* kPalette[] = {"#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77",
                          "#cc6677", "#882255", "#aa4499", "#4477aa", "#ee6677", "#bbbbbb"};
constexpr size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];

// Text on a palette colour: white on the dark ones.
std::string ink_on(const std::string& fill) {
  int r = std::stoi(fill.substr(1, 2), nullptr, 16), g = std::stoi(fill.substr(3, 2), nullptr, 16),
      b = std::stoi(fill.substr(5, 2), nullptr, 16);
  return 0.299 * r + 0.587 * g + 0.114 * b < 140 ? "#ffffff" : "#222222";
}

std::string percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * share);
  return buffer;
}

double widest(const std::vector<std::string>& labels, double size) {
  double w = 0;
  for (const auto& l : labels) w = std::max(w, text_width(l, size));
  return w;
}

// A legend of colour swatches wrapped into lines no wider than `width`; returns its height.
double legend(SvgDocument* svg, double x, double y, double width, const std::vector<std::string>& labels) {
  double cx = x, cy = y, line_height = 20;
  for (size_t i = 0; i < labels.size(); ++i) {
    double item = 18 + text_width(labels[i], 11) + 16;
    if (cx > x && cx + item > x + width) {
      cx = x;
      cy += line_height;
    }
    if (svg) {
      svg->rect(cx, cy, 12, 12, kPalette[i % kPaletteSize]);
      svg->text(cx + 18, cy + 10, labels[i], {.size = 11});
    }
    cx += item;
  }
  return cy - y + line_height;
}

}  // namespace

std::string stacked_bars_svg(const CrossTable& c, const std::string& title) {
  const auto& rows = c.table.row_labels();
  const auto& columns = c.table.column_labels();
  double label_width = widest(rows, 12) + 16, bar_width = 640, bar_height = 30, gap = 14;
  double width = 20 + label_width + bar_width + 70;  // room for "n=..." after the bar
  double top = 50;
  double bars_height = static_cast<double>(rows.size()) * (bar_height + gap);
  double legend_height = legend(nullptr, 20, 0, width - 40, columns);
  SvgDocument svg(width, top + bars_height + 30 + legend_height + 10);
  svg.text(20, 28, title, {.size = 15, .weight = "bold"});
  double x0 = 20 + label_width;
  for (size_t r = 0; r < rows.size(); ++r) {
    double y = top + static_cast<double>(r) * (bar_height + gap);
    double total = c.table.row_total(r);
    svg.text(x0 - 8, y + bar_height / 2 + 4, rows[r], {.anchor = "end", .size = 12});
    double x = x0;
    for (size_t k = 0; k < columns.size(); ++k) {
      double share = total > 0 ? c.table.at(r, k) / total : 0;
      if (share <= 0) continue;
      double w = share * bar_width;
      std::string fill = kPalette[k % kPaletteSize];
      svg.rect(x, y, w, bar_height, fill,
               rows[r] + " / " + columns[k] + ": " + std::to_string(static_cast<long long>(c.table.at(r, k))) + " (" +
                   percent(share) + ")");
      std::string label = percent(share);
      if (text_width(label, 10) + 6 < w) {
        svg.text(x + w / 2, y + bar_height / 2 + 4, label, {.anchor = "middle", .size = 10, .fill = ink_on(fill)});
      }
      x += w;
    }
    svg.text(x0 + bar_width + 4, y + bar_height / 2 + 4, "n=" + std::to_string(static_cast<long long>(total)),
             {.size = 10, .fill = "#555555"});
  }
  legend(&svg, 20, top + bars_height + 20, width - 40, columns);
  return svg.str();
}

namespace {

// Rows down the left, columns along the top with labels at 45 degrees; cell(r, c) gives the
// fill, the text shown and the tooltip.
struct HeatCell {
  std::string fill, text, tooltip;
  bool bold = false;
};

template <typename Cell>
std::string heatmap(const std::string& title, const std::vector<std::string>& rows,
                    const std::vector<std::string>& columns, Cell cell, const std::string& caption) {
  double cell_width = 64, cell_height = 34;
  double label_width = widest(rows, 12) + 16;
  // A label rotated by 45 degrees rises by its width / sqrt(2).
  double header = widest(columns, 11) * 0.7072 + 20;
  double right = widest({columns.empty() ? "" : columns.back()}, 11) * 0.7072;
  double width = std::max({20 + label_width + cell_width * static_cast<double>(columns.size()) + std::max(20.0, right),
                           40 + text_width(caption, 10), 40 + text_width(title, 15)});
  double top = 44 + header;
  double height = top + cell_height * static_cast<double>(rows.size()) + 40;
  SvgDocument svg(width, height);
  svg.text(20, 26, title, {.size = 15, .weight = "bold"});
  double x0 = 20 + label_width;
  for (size_t c = 0; c < columns.size(); ++c) {
    double x = x0 + (static_cast<double>(c) + 0.5) * cell_width;
    svg.text(x, top - 8, columns[c], {.anchor = "start", .size = 11, .rotate = -45});
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    double y = top + static_cast<double>(r) * cell_height;
    svg.text(x0 - 8, y + cell_height / 2 + 4, rows[r], {.anchor = "end", .size = 12});
    for (size_t c = 0; c < columns.size(); ++c) {
      HeatCell h = cell(r, c);
      double x = x0 + static_cast<double>(c) * cell_width;
      svg.rect(x, y, cell_width, cell_height, h.fill, h.tooltip, "#ffffff");
      svg.text(x + cell_width / 2, y + cell_height / 2 + 4, h.text,
               {.anchor = "middle", .size = 11, .weight = h.bold ? "bold" : "normal", .fill = ink_on(h.fill)});
    }
  }
  svg.text(20, height - 14, caption, {.size = 10, .fill = "#555555"});
  return svg.str();
}

// Blue below zero, white at zero, red above; saturates at |value| = limit.
std::string diverging(double value, double limit) {
  return value >= 0 ? blend("#ffffff", "#b2182b", value / limit) : blend("#ffffff", "#2166ac", -value / limit);
}

}  // namespace

std::string residual_heatmap_svg(const CrossTable& c, const std::string& title) {
  const auto& rows = c.table.row_labels();
  const auto& columns = c.table.column_labels();
  return heatmap(
      title, rows, columns,
      [&](size_t r, size_t k) {
        double residual = c.test.ok ? c.test.adjusted_residuals[r][k] : 0;
        std::string count = std::to_string(static_cast<long long>(c.table.at(r, k)));
        return HeatCell{
            diverging(residual, 6), count,
            rows[r] + " x " + columns[k] + ": " + count + " failures, adjusted residual " + format_fixed(residual, 2),
            std::abs(residual) > 1.96};
      },
      "Cell: failure count; colour: adjusted standardized residual (red over-, blue under-represented; bold: |r| > "
      "1.96).");
}

std::string correlation_heatmap_svg(const SeriesComparison& s, const std::string& title) {
  const auto& series = s.cross.table.row_labels();
  return heatmap(
      title, series, series,
      [&](size_t a, size_t b) {
        const stats::Correlation& r = s.pearson[a][b];
        std::string value = r.ok ? format_fixed(r.coefficient, 2) : "n/a";
        return HeatCell{r.ok ? diverging(r.coefficient, 1) : "#eeeeee", value,
                        series[a] + " vs " + series[b] + ": Pearson r " + value +
                            (r.ok ? ", p " + format_fixed(r.p_value, 4) : "") + ", JSD " +
                            format_fixed(s.jensen_shannon[a][b], 4) + " bits",
                        false};
      },
      "Pearson correlation of the series' category counts (" + s.cross.title + ").");
}

namespace {

// A node of the hierarchy rebuilt from leaf paths ("Crash / CUDA Error / Out of Memory").
struct TreeNode {
  std::string name, path;
  int64_t count = 0;
  std::vector<TreeNode> children;
};

TreeNode build_tree(const Distribution& leaves) {
  TreeNode root;
  for (const CategoryShare& c : leaves.rows) {
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      size_t cut = c.path.find(" / ", start);
      parts.push_back(c.path.substr(start, cut == std::string::npos ? std::string::npos : cut - start));
      if (cut == std::string::npos) break;
      start = cut + 3;
    }
    TreeNode* node = &root;
    root.count += c.count;
    for (size_t i = 0; i < parts.size(); ++i) {
      auto it = std::find_if(node->children.begin(), node->children.end(),
                             [&](const TreeNode& n) { return n.name == parts[i]; });
      if (it == node->children.end()) {
        std::string path = node->path.empty() ? parts[i] : node->path + " / " + parts[i];
        node->children.push_back({parts[i], path, 0, {}});
        it = node->children.end() - 1;
      }
      it->count += c.count;
      node = &*it;
    }
  }
  return root;
}

// Splits `text` into lines no wider than `width` at `size`; empty when a word does not fit.
std::vector<std::string> wrap(const std::string& text, double width, double size) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t space = text.find(' ', start);
    std::string word = text.substr(start, space == std::string::npos ? std::string::npos : space - start);
    if (text_width(word, size) > width) return {};
    std::string candidate = line.empty() ? word : line + " " + word;
    if (text_width(candidate, size) <= width) {
      line = candidate;
    } else {
      lines.push_back(line);
      line = word;
    }
    if (space == std::string::npos) break;
    start = space + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// Writes `text` wrapped into the box when it fits, else just the count, else nothing.
void box_label(SvgDocument& svg, double x, double y, double w, double h, const std::string& name, int64_t count,
               const std::string& ink) {
  const double size = 10, line = 12;
  std::vector<std::string> lines = wrap(name + " (" + std::to_string(count) + ")", w - 6, size);
  if (!lines.empty() && static_cast<double>(lines.size()) * line + 4 <= h) {
    for (size_t i = 0; i < lines.size(); ++i) {
      svg.text(x + 3, y + 12 + static_cast<double>(i) * line, lines[i], {.size = size, .fill = ink});
    }
  } else if (text_width(std::to_string(count), size) + 4 <= w && h >= 14) {
    svg.text(x + w / 2, y + 12, std::to_string(count), {.anchor = "middle", .size = size, .fill = ink});
  }
}

// One level-2 category of the treemap: a box, or its level-3 parts stacked and outlined together.
void draw_treemap_column(SvgDocument& svg, const TreeNode& mid, double x, double y, double w, double h,
                         const std::string& fill) {
  if (mid.children.empty()) {
    svg.rect(x, y, w, h, fill, mid.path + ": " + std::to_string(mid.count), "#ffffff");
    box_label(svg, x, y, w, h, mid.name, mid.count, ink_on(fill));
    return;
  }
  double cy = y;
  for (size_t j = 0; j < mid.children.size(); ++j) {
    const TreeNode& leaf = mid.children[j];
    if (leaf.count == 0) continue;
    double lh = h * static_cast<double>(leaf.count) / static_cast<double>(mid.count);
    std::string leaf_fill = blend(fill, "#ffffff", j % 2 ? 0.25 : 0.0);
    svg.rect(x, cy, w, lh, leaf_fill, leaf.path + ": " + std::to_string(leaf.count), "#ffffff");
    box_label(svg, x, cy, w, lh, leaf.name, leaf.count, ink_on(leaf_fill));
    cy += lh;
  }
  // The middle level's outline and name, so "CUDA Error" reads as a group.
  svg.rect(x, y, w, h, "none", "", "#333333");
}

}  // namespace

std::string treemap_svg(const Distribution& leaves, const std::string& title) {
  // Slice and dice: top-level categories are rows (height by count, with a floor so their
  // labels stay readable), their children columns (width by count), grandchildren stacked
  // inside those columns (height by count).
  TreeNode root = build_tree(leaves);
  double label_width = 0;
  for (const TreeNode& top : root.children) {
    label_width = std::max(label_width, text_width(top.name + " (" + std::to_string(top.count) + ")", 12));
  }
  label_width += 16;
  const double area_width = 820, area_height = 520, min_row = 24;
  double width = 20 + label_width + area_width + 20;
  std::vector<double> heights;
  double total_height = 0;
  for (const TreeNode& top : root.children) {
    double h = root.count > 0 ? area_height * static_cast<double>(top.count) / static_cast<double>(root.count) : 0;
    heights.push_back(top.count > 0 ? std::max(min_row, h) : 0);
    total_height += heights.back();
  }
  SvgDocument svg(width, 44 + total_height + 40);
  svg.text(20, 28, title, {.size = 15, .weight = "bold"});
  double y = 44, x0 = 20 + label_width;
  for (size_t t = 0; t < root.children.size(); ++t) {
    const TreeNode& top = root.children[t];
    double h = heights[t];
    if (h <= 0) continue;
    svg.text(x0 - 8, y + std::min(h / 2, 16.0) + 4, top.name + " (" + std::to_string(top.count) + ")",
             {.anchor = "end", .size = 12, .weight = "bold"});
    const std::string base = kPalette[t % kPaletteSize];
    double x = x0;
    for (size_t k = 0; k < top.children.size(); ++k) {
      const TreeNode& mid = top.children[k];
      if (mid.count == 0) continue;
      double w = area_width * static_cast<double>(mid.count) / static_cast<double>(top.count);
      // Alternating shades of the top category's colour tell neighbours apart.
      std::string fill = blend(base, "#ffffff", k % 2 ? 0.45 : 0.2);
      draw_treemap_column(svg, mid, x, y, w, h, fill);
      x += w;
    }
    y += h;
  }
  svg.text(20, y + 24,
           "Area: failures per category (rows: level 1; columns: level 2, outlined when they have level-3 parts). "
           "Hover a cell for its full path. n = " +
               std::to_string(root.count) + ".",
           {.size = 10, .fill = "#555555"});
  return svg.str();
}

std::string grouped_bars_svg(const CrossTable& c, const std::string& title) {
  const auto& groups = c.table.row_labels();  // the versions compared
  const auto& categories = c.table.column_labels();
  double label_width = widest(categories, 12) + 16, bar_area = 420, bar = 12;
  double group_height = bar * static_cast<double>(groups.size()) + 10;
  double width = 20 + label_width + bar_area + 70;
  double top = 48;
  double height = top + group_height * static_cast<double>(categories.size()) + 40;
  SvgDocument svg(width, height);
  svg.text(20, 28, title, {.size = 15, .weight = "bold"});
  double x0 = 20 + label_width;
  double max_share = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t k = 0; k < categories.size(); ++k) {
      double total = c.table.row_total(g);
      if (total > 0) max_share = std::max(max_share, c.table.at(g, k) / total);
    }
  }
  if (max_share <= 0) max_share = 1;
  for (size_t k = 0; k < categories.size(); ++k) {
    double y = top + static_cast<double>(k) * group_height;
    svg.text(x0 - 8, y + group_height / 2, categories[k], {.anchor = "end", .size = 12});
    for (size_t g = 0; g < groups.size(); ++g) {
      double total = c.table.row_total(g);
      double share = total > 0 ? c.table.at(g, k) / total : 0;
      double w = bar_area * share / max_share;
      double by = y + static_cast<double>(g) * bar;
      svg.rect(x0, by, std::max(w, 0.5), bar - 2, kPalette[g % kPaletteSize],
               groups[g] + " / " + categories[k] + ": " + std::to_string(static_cast<long long>(c.table.at(g, k))) +
                   " of " + std::to_string(static_cast<long long>(total)) + " (" + percent(share) + ")");
      svg.text(x0 + w + 4, by + bar - 3, percent(share), {.size = 9, .fill = "#555555"});
    }
  }
  svg.line(x0, top - 4, x0, top + group_height * static_cast<double>(categories.size()), "#888888");
  std::vector<std::string> legend_labels;
  for (size_t g = 0; g < groups.size(); ++g) {
    legend_labels.push_back(groups[g] + " (n=" + std::to_string(static_cast<long long>(c.table.row_total(g))) + ")");
  }
  legend(&svg, x0, height - 26, width - x0 - 20, legend_labels);
  return svg.str();
}

std::vector<std::string> write_figures(const StudyReport& r, const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"fig_stage_by_symptom.svg", stacked_bars_svg(r.stage_by_symptom, "Symptoms within each lifecycle stage")},
      {"fig_stage_by_root_cause.svg",
       stacked_bars_svg(r.stage_by_root_cause, "Root causes within each lifecycle stage")},
      {"fig_symptom_by_root_cause.svg",
       residual_heatmap_svg(r.symptom_by_root_cause, "Symptom x root cause (diagnostic divergence)")},
      {"fig_series_correlation_symptom.svg",
       correlation_heatmap_svg(r.series_by_symptom, "Series similarity: symptoms")},
      {"fig_series_correlation_root_cause.svg",
       correlation_heatmap_svg(r.series_by_root_cause, "Series similarity: root causes")},
      {"fig_symptom_hierarchy.svg", treemap_svg(r.symptom_leaves, "Symptom hierarchy")},
      {"fig_root_cause_hierarchy.svg", treemap_svg(r.root_cause_leaves, "Root-cause hierarchy")}};
  for (const Evolution& e : r.evolution) {
    files.emplace_back("fig_" + file_stem(e.symptom.name) + ".svg",
                       grouped_bars_svg(e.symptom, "Symptoms: " + e.from + " vs " + e.to));
    files.emplace_back("fig_" + file_stem(e.root_cause.name) + ".svg",
                       grouped_bars_svg(e.root_cause, "Root causes: " + e.from + " vs " + e.to));
  }
  return write_files(dir, files);
}

}  // namespace firstmile
